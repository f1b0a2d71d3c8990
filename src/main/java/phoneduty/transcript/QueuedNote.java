package phoneduty.transcript;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.json.JSONException;
import org.json.JSONObject;
import phoneduty.pagerduty.PagerDutyEvent;

/**
 * What a note task carries: the note, the dedup key of the incident it belongs to, when the
 * transcript came, and the follow-up event that carries the transcript instead if no note can be
 * added (the incident never appears, or PagerDuty refuses the note for good).
 *
 * @param copyId tells this copy's task apart from one a repeated callback queued ({@code DeliveryClaims})
 */
public record QueuedNote(String copyId, String incidentKey, String content, Instant receivedAt,
    PagerDutyEvent fallback) {

  public QueuedNote {
    if (copyId == null || copyId.isEmpty() || incidentKey == null || incidentKey.isEmpty()) {
      throw new IllegalArgumentException("copyId and incidentKey are required");
    }
  }

  public static QueuedNote newCopy(String incidentKey, String content, Instant receivedAt, PagerDutyEvent fallback) {
    return new QueuedNote(UUID.randomUUID().toString(), incidentKey, content, receivedAt, fallback);
  }

  public String toJson() {
    return new JSONObject().put("copy", copyId).put("incident_key", incidentKey).put("content", content)
        .put("received_at", receivedAt.toString()).put("fallback", new JSONObject(fallback.toJson())).toString();
  }

  /**
   * Reads a task body back.
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static QueuedNote fromJson(String text) {
    try {
      JSONObject json = new JSONObject(text);
      return new QueuedNote(json.getString("copy"), json.getString("incident_key"), json.getString("content"),
          Instant.parse(json.getString("received_at")),
          PagerDutyEvent.fromJson(json.getJSONObject("fallback").toString()));
    } catch (JSONException | DateTimeParseException e) {
      throw new IllegalArgumentException("not a queued note: " + e.getMessage(), e);
    }
  }
}
