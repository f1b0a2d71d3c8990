package phoneduty.pagerduty;

import java.time.Instant;
import org.json.JSONArray;
import org.json.JSONObject;
import phoneduty.text.Text;

/**
 * Builder of a trigger event ({@link PagerDutyEvent#trigger}), the twin of {@link ChangeEvent}:
 * summary, source, classification, custom details and links.
 */
public final class TriggerEvent {
  private final JSONObject event = new JSONObject();
  private final JSONObject payload = new JSONObject();
  private final JSONObject details = new JSONObject();
  private final JSONArray links = new JSONArray();

  TriggerEvent(RoutingKey routingKey, String dedupKey) {
    event
        .put("routing_key", routingKey.value())
        .put("event_action", "trigger")
        .put("dedup_key", PagerDutyEvent.dedupKey(dedupKey))
        .put("client", PagerDutyEvent.CLIENT);
    payload.put("severity", Severity.CRITICAL.json());
  }

  public TriggerEvent summary(String summary) {
    payload.put("summary", PagerDutyEvent.summary(summary));
    return this;
  }

  public TriggerEvent source(String source) {
    payload.put("source", source);
    return this;
  }

  /** What the event is, in PagerDuty's payload fields: severity, component, class and when it happened. */
  public TriggerEvent classify(Severity severity, String component, String eventClass, Instant at) {
    payload.put("severity", severity.json()).put("component", component).put("class", eventClass)
        .put("timestamp", at.toString());
    return this;
  }

  /** Adds a custom detail; absent and blank values are left out rather than sent empty. */
  public TriggerEvent detail(String name, Object value) {
    PagerDutyEvent.putDetail(details, name, value);
    return this;
  }

  /** Adds a link; one longer than any real URL is left out, so an event always fits. */
  public TriggerEvent link(String href, String text) {
    if (href.length() > PagerDutyEvent.MAX_LINK_CHARS) {
      return this;
    }
    links.put(new JSONObject().put("href", href).put("text", Text.cut(text, PagerDutyEvent.MAX_LINK_TEXT_CHARS)));
    return this;
  }

  public PagerDutyEvent build() {
    if (!payload.has("summary") || !payload.has("source")) {
      throw new IllegalStateException("A trigger needs a summary and a source");
    }
    if (!details.isEmpty()) {
      payload.put("custom_details", PagerDutyEvent.fitted(details));
    }
    event.put("payload", payload);
    if (!links.isEmpty()) {
      event.put("links", links);
    }
    return new PagerDutyEvent(event);
  }
}
