package phoneduty.pagerduty;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.json.JSONArray;
import org.json.JSONObject;
import phoneduty.text.LogSafe;
import phoneduty.text.Text;

/**
 * Notes on incidents through the REST API v2: finds an incident by the dedup key its events
 * carried ({@code GET /incidents?incident_key=…}) and adds a note to it ({@code POST
 * /incidents/{id}/notes}, as the user {@code From} names).
 *
 * @param author the email address of a PagerDuty user of the account, PagerDuty's required
 *     {@code From} header; the note appears as written by that user
 */
public record IncidentNotes(RestApiClient api, String author) {

  /**
   * The official spec sets no limit on a note's content; a two-minute transcript is a few thousand
   * characters, so this only stops a forged or runaway text.
   */
  public static final int MAX_NOTE_CHARS = 25_000;
  /** Each request runs in a task, not a webhook: time enough for a slow PagerDuty. */
  static final Duration BUDGET = Duration.ofSeconds(20);

  /** The id of the incident opened under this dedup key, or empty while PagerDuty has none. */
  public Optional<String> findIncident(String incidentKey) throws RestApiException {
    api.failIfRateLimited();
    JSONObject answer = api.get("/incidents?incident_key=" + Text.urlEncode(incidentKey),
        "finding the incident of " + LogSafe.of(incidentKey), new RestApiClient.Budget(BUDGET));
    JSONArray incidents = answer.optJSONArray("incidents");
    for (int i = 0; incidents != null && i < incidents.length(); i++) {
      String id = incidents.getJSONObject(i).optString("id", "");
      if (PagerDutyId.isValid(id)) {
        return Optional.of(id);
      }
    }
    return Optional.empty();
  }

  /** Adds the note, cut to {@link #MAX_NOTE_CHARS}. */
  public void add(String incidentId, String content) throws RestApiException {
    if (!PagerDutyId.isValid(incidentId)) {
      throw new RestApiException(Failure.BAD_REQUEST, "PagerDuty gave a malformed incident id.");
    }
    api.failIfRateLimited();
    JSONObject body = new JSONObject().put("note",
        new JSONObject().put("content", Text.cutWithEllipsis(content, MAX_NOTE_CHARS)));
    api.post("/incidents/" + incidentId + "/notes", body, Map.of("From", author),
        "adding a note to incident " + incidentId, new RestApiClient.Budget(BUDGET));
  }
}
