package phoneduty.pagerduty;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import phoneduty.shortlink.ShortLink;
import phoneduty.shortlink.ShortLinks;

/**
 * What a delivery task carries: the event; the short links its text uses that are not stored yet;
 * and an id of this queued copy of the event.
 *
 * <p>The links are stored just before the event is sent, so the webhook that made them answers
 * Twilio without waiting on Datastore, and nobody can follow a link before it exists. The copy id
 * tells a task's own retries from a second copy that a repeated webhook queued ({@link
 * DeliveryClaims}).
 *
 * @param copyId null for a bare event, the body of tasks queued by earlier versions
 */
public record QueuedEvent(String copyId, PagerDutyEvent event, List<ShortLink> pendingLinks) {

  private static final Logger log = Logger.getLogger(QueuedEvent.class.getName());

  public QueuedEvent {
    pendingLinks = List.copyOf(pendingLinks);
  }

  /**
   * A new copy of the event, to be queued once. Its id only has to differ from other copies', not
   * to be unguessable: 128 bits from ThreadLocalRandom, which unlike SecureRandom takes no lock.
   */
  public static QueuedEvent newCopy(PagerDutyEvent event, List<ShortLink> pendingLinks) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new QueuedEvent(Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()), event,
        pendingLinks);
  }

  public Optional<String> copy() {
    return Optional.ofNullable(copyId);
  }

  /** The task body. */
  public String toJson() {
    JSONArray links = new JSONArray();
    for (ShortLink link : pendingLinks) {
      links.put(new JSONObject().put("code", link.code()).put("url", link.url())
          .put("target", link.target().toString()));
    }
    return new JSONObject().put("copy", copyId).put("event", event.json())
        .put("short_links", links).toString();
  }

  /**
   * Reads a task body back. A bare event, as tasks queued before short links were deferred carry,
   * is read as an event without pending links.
   *
   * @throws IllegalArgumentException if the body is neither
   */
  public static QueuedEvent fromJson(String text) {
    try {
      JSONObject json = new JSONObject(text);
      if (!json.has("event")) {
        return new QueuedEvent(null, PagerDutyEvent.fromJson(text), List.of());
      }
      List<ShortLink> links = new ArrayList<>();
      JSONArray array = json.optJSONArray("short_links");
      for (int i = 0; array != null && i < array.length(); i++) {
        JSONObject link = array.getJSONObject(i);
        links.add(new ShortLink(link.getString("code"), link.getString("url"), URI.create(link.getString("target"))));
      }
      return new QueuedEvent(json.optString("copy", null), PagerDutyEvent.fromJson(json.getJSONObject("event").toString()),
          links);
    } catch (JSONException e) {
      throw new IllegalArgumentException("not a queued event: " + e.getMessage(), e);
    }
  }

  /**
   * Stores the pending short links and returns the event to send. A link that cannot be stored is
   * replaced in the event by its full target: the page matters more than a short link, and a
   * Datastore fault must neither hold the page back nor leave a dead link in it.
   */
  public PagerDutyEvent storeLinks(ShortLinks shortLinks) {
    PagerDutyEvent ready = event;
    for (ShortLink link : pendingLinks) {
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
