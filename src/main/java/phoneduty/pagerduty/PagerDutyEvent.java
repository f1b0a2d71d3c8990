package phoneduty.pagerduty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * One Events API v2 event, as the JSON body PagerDuty takes at {@code /v2/enqueue}.
 *
 * <p>The limits PagerDuty documents but its schema does not encode are enforced here: a summary
 * of at most 1,024 characters and a dedup_key of at most 255.
 */
public final class PagerDutyEvent {

  public static final int MAX_SUMMARY_CHARS = 1024;
  public static final int MAX_DEDUP_KEY_CHARS = 255;
  static final String CLIENT = "phoneduty";

  private final JSONObject json;

  private PagerDutyEvent(JSONObject json) {
    this.json = json;
  }

  /** Starts a trigger event; the dedup key ties webhook retries and later events to one alert. */
  public static Trigger trigger(RoutingKey routingKey, String dedupKey) {
    return new Trigger(routingKey, dedupKey);
  }

  /** Acknowledges the alert opened under this dedup key. */
  public static PagerDutyEvent acknowledge(RoutingKey routingKey, String dedupKey) {
    return new PagerDutyEvent(
        new JSONObject()
            .put("routing_key", routingKey.value())
            .put("event_action", "acknowledge")
            .put("dedup_key", dedupKey(dedupKey)));
  }

  /** Reads back an event serialised by {@link #toJson()}; rejects anything else. */
  public static PagerDutyEvent fromJson(String text) {
    try {
      JSONObject json = new JSONObject(text);
      if (RoutingKey.parse(json.optString("routing_key", null)).isEmpty()
          || json.optString("event_action").isEmpty()
          || json.optString("dedup_key").isEmpty()) {
        throw new IllegalArgumentException("not a phoneduty event: routing_key, event_action or dedup_key missing");
      }
      return new PagerDutyEvent(json);
    } catch (JSONException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  public String action() {
    return json.getString("event_action");
  }

  public String dedupKey() {
    return json.getString("dedup_key");
  }

  public RoutingKey routingKey() {
    return RoutingKey.parse(json.getString("routing_key")).orElseThrow();
  }

  public Optional<String> summary() {
    JSONObject payload = json.optJSONObject("payload");
    return payload == null ? Optional.empty() : Optional.of(payload.getString("summary"));
  }

  /**
   * A copy with every occurrence of {@code from} in the event's texts (summary, custom details,
   * links) replaced by {@code to}; the summary is cut to PagerDuty's limit again.
   */
  public PagerDutyEvent replacingText(String from, String to) {
    JSONObject copy = (JSONObject) replaceIn(new JSONObject(json.toString()), from, to);
    JSONObject payload = copy.optJSONObject("payload");
    if (payload != null && payload.has("summary")) {
      payload.put("summary", summary(payload.getString("summary")));
    }
    return new PagerDutyEvent(copy);
  }

  private static Object replaceIn(Object value, String from, String to) {
    if (value instanceof String) {
      return ((String) value).replace(from, to);
    }
    if (value instanceof JSONObject) {
      JSONObject object = (JSONObject) value;
      for (String name : object.keySet()) {
        object.put(name, replaceIn(object.get(name), from, to));
      }
    } else if (value instanceof JSONArray) {
      JSONArray array = (JSONArray) value;
      for (int i = 0; i < array.length(); i++) {
        array.put(i, replaceIn(array.get(i), from, to));
      }
    }
    return value;
  }

  /** The request body for PagerDuty. */
  public String toJson() {
    return json.toString();
  }

  /** The body as JSON, for a wrapper to serialise in one pass; not to be changed. */
  JSONObject json() {
    return json;
  }

  @Override
  public String toString() {
    return action() + " " + dedupKey() + " for " + routingKey();
  }

  /** Keys longer than PagerDuty takes are replaced by their SHA-256, stable across retries. */
  static String dedupKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("dedup_key is required");
    }
    if (key.length() <= MAX_DEDUP_KEY_CHARS) {
      return key;
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String summary(String text) {
    if (text.length() <= MAX_SUMMARY_CHARS) {
      return text;
    }
    int end = MAX_SUMMARY_CHARS - 1;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }

  /** Builder of a trigger event. */
  public static final class Trigger {
    private final JSONObject event = new JSONObject();
    private final JSONObject payload = new JSONObject();
    private final JSONObject details = new JSONObject();
    private final JSONArray links = new JSONArray();

    private Trigger(RoutingKey routingKey, String dedupKey) {
      event
          .put("routing_key", routingKey.value())
          .put("event_action", "trigger")
          .put("dedup_key", dedupKey(dedupKey))
          .put("client", CLIENT);
      payload.put("severity", Severity.CRITICAL.json());
    }

    public Trigger summary(String summary) {
      payload.put("summary", PagerDutyEvent.summary(summary));
      return this;
    }

    public Trigger source(String source) {
      payload.put("source", source);
      return this;
    }

    public Trigger severity(Severity severity) {
      payload.put("severity", severity.json());
      return this;
    }

    public Trigger component(String component) {
      payload.put("component", component);
      return this;
    }

    public Trigger eventClass(String eventClass) {
      payload.put("class", eventClass);
      return this;
    }

    public Trigger timestamp(Instant timestamp) {
      payload.put("timestamp", timestamp.toString());
      return this;
    }

    /** Adds a custom detail; absent and blank values are left out rather than sent empty. */
    public Trigger detail(String name, Object value) {
      if (value instanceof String && ((String) value).isBlank()) {
        return this;
      }
      if (value != null) {
        details.put(name, value);
      }
      return this;
    }

    public Trigger link(String href, String text) {
      links.put(new JSONObject().put("href", href).put("text", text));
      return this;
    }

    public Trigger clientUrl(String url) {
      event.put("client_url", url);
      return this;
    }

    public PagerDutyEvent build() {
      if (!payload.has("summary") || !payload.has("source")) {
        throw new IllegalStateException("A trigger needs a summary and a source");
      }
      if (!details.isEmpty()) {
        payload.put("custom_details", details);
      }
      event.put("payload", payload);
      if (!links.isEmpty()) {
        event.put("links", links);
      }
      return new PagerDutyEvent(event);
    }
  }
}
