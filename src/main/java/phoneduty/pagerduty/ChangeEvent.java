package phoneduty.pagerduty;

import java.time.Instant;
import java.util.Optional;
import org.json.JSONObject;

/**
 * Builder of a change event ({@link PagerDutyEvent#change}): what happened, when, from where; no
 * severity, no incident, no notification.
 */
public final class ChangeEvent {
  private final JSONObject event = new JSONObject();
  private final JSONObject payload = new JSONObject();
  private final JSONObject details = new JSONObject();
  private final String key;

  ChangeEvent(RoutingKey routingKey, String key) {
    this.key = key;
    event.put("routing_key", routingKey.value());
  }

  public ChangeEvent summary(String summary) {
    payload.put("summary", PagerDutyEvent.summary(summary));
    return this;
  }

  public ChangeEvent source(String source) {
    payload.put("source", source);
    return this;
  }

  public ChangeEvent at(Instant at) {
    payload.put("timestamp", at.toString());
    return this;
  }

  /** Adds a custom detail; absent and blank values are left out rather than sent empty. */
  public ChangeEvent detail(String name, Object value) {
    PagerDutyEvent.putDetail(details, name, value);
    return this;
  }

  public PagerDutyEvent build() {
    if (!payload.has("summary") || !payload.has("source") || !payload.has("timestamp")) {
      throw new IllegalStateException("A change event needs a summary, a source and a time");
    }
    if (!details.isEmpty()) {
      payload.put("custom_details", PagerDutyEvent.fitted(details));
    }
    event.put("payload", payload);
    return new PagerDutyEvent(event, Optional.of(key));
  }
}
