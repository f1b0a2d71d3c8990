package phoneduty.delivery;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.shortlink.ShortLink;
import phoneduty.shortlink.ShortLinks;
import phoneduty.text.LogSafe;

/**
 * What a delivery task carries: the event (and, for a change event, its key); the short links its text uses that are not stored yet;
 * and an id of this queued copy of the event.
 *
 * <p>The links are stored just before the event is sent, so the webhook that made them answers
 * Twilio without waiting on Datastore, and nobody can follow a link before it exists. The copy id
 * tells a task's own retries from a second copy that a repeated webhook queued ({@link
 * DeliveryClaims}).
 *
 * @param copyId tells this copy's task apart from a second copy of the same event
 */
public record QueuedEvent(String copyId, PagerDutyEvent event, List<ShortLink> pendingLinks, boolean foldable) {

  private static final Logger log = Logger.getLogger(QueuedEvent.class.getName());

  public QueuedEvent {
    if (copyId == null || copyId.isEmpty()) {
      throw new IllegalArgumentException("copyId is required");
    }
    pendingLinks = List.copyOf(pendingLinks);
  }

  /** A new copy of the event, to be queued once, with a random id. */
  public static QueuedEvent newCopy(PagerDutyEvent event, List<ShortLink> pendingLinks) {
    return newCopy(event, pendingLinks, false);
  }

  /**
   * @param foldable whether the delivery task may make it join an earlier incident (a caller's
   *     repeat, a flood: {@code Folding}) before sending it
   */
  public static QueuedEvent newCopy(PagerDutyEvent event, List<ShortLink> pendingLinks, boolean foldable) {
    return new QueuedEvent(UUID.randomUUID().toString(), event, pendingLinks, foldable);
  }

  /** The task body. */
  public String toJson() {
    JSONArray links = new JSONArray();
    for (ShortLink link : pendingLinks) {
      links.put(new JSONObject().put("code", link.code()).put("url", link.url())
          .put("target", link.target().toString()));
    }
    // The event's own JSON is spliced in as it is, so the body is serialised in one pass.
    String change = event.isChange() ? ",\"change_key\":" + JSONObject.quote(event.dedupKey()) : "";
    return "{\"copy\":" + JSONObject.quote(copyId) + ",\"event\":" + event.toJson() + change
        + ",\"short_links\":" + links + (foldable ? ",\"fold\":true" : "") + "}";
  }

  /**
   * Reads a task body back.
   *
   * @throws IllegalArgumentException if it is not one
   */
  public static QueuedEvent fromJson(String text) {
    try {
      JSONObject json = new JSONObject(text);
      List<ShortLink> links = new ArrayList<>();
      JSONArray array = json.optJSONArray("short_links");
      for (int i = 0; array != null && i < array.length(); i++) {
        JSONObject link = array.getJSONObject(i);
        links.add(new ShortLink(link.getString("code"), link.getString("url"), URI.create(link.getString("target"))));
      }
      Optional<String> changeKey = Optional.ofNullable(json.optString("change_key", null));
      return new QueuedEvent(json.getString("copy"),
          PagerDutyEvent.fromJson(json.getJSONObject("event").toString(), changeKey), links,
          json.optBoolean("fold", false));
    } catch (JSONException e) {
      throw new IllegalArgumentException("not a queued event: " + e.getMessage(), e);
    }
  }

  /**
   * Stores the pending short links and returns the event to send. A link that cannot be stored is
   * replaced in the event by its full target: the page matters more than a short link, and a
   * Datastore fault must neither hold the page back nor leave a dead link in it. A link whose
   * target is not a Twilio recording (the task body is input too) is not stored, and the page
   * goes out without it.
   */
  public PagerDutyEvent storeLinks(ShortLinks shortLinks) {
    PagerDutyEvent ready = event;
    for (ShortLink link : pendingLinks) {
      if (!ShortLinks.mayPointTo(link.target())) {
        log.warning("Not storing short link " + LogSafe.of(link.code()) + " of " + event
            + ": its target is not a Twilio recording; paging without it");
        ready = ready.withoutLink(link.url(), "(no link: not a Twilio recording)");
        continue;
      }
      try {
        shortLinks.store(link);
      } catch (RuntimeException e) {
        log.log(Level.WARNING, "Could not store short link " + link.code() + " of " + event
            + "; paging with the full URL", e);
        ready = ready.replacingText(link.url(), link.target().toString());
      }
    }
    return ready;
  }
}
