package phoneduty.pagerduty;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import phoneduty.text.LogSafe;
import phoneduty.text.Text;

/**
 * One Events API v2 event, as the JSON body PagerDuty takes: an alert event (trigger,
 * acknowledge) at {@code /v2/enqueue}, or a change event at {@code /v2/change/enqueue}, which
 * opens no incident and notifies nobody. A change event has no dedup key in PagerDuty's API;
 * phoneduty gives it one of its own ({@link #dedupKey()}), never sent, that names its task so that
 * a repeated webhook queues it once.
 *
 * <p>The limits PagerDuty documents but its schema does not encode are enforced here: a summary
 * of at most 1,024 characters, a dedup_key of at most 255, and a whole event far below the 512 KB
 * PagerDuty takes (a bigger one is refused for good, and the page would be lost) and below the
 * 100 KB of a task, by cutting custom details past {@value #MAX_DETAILS_BYTES} bytes and leaving
 * out links longer than any real URL.
 */
public final class PagerDutyEvent {

  public static final int MAX_SUMMARY_CHARS = 1024;
  public static final int MAX_DEDUP_KEY_CHARS = 255;
  /**
   * Custom details beyond this are cut: enough for everything Twilio sends, and small enough that
   * the whole event, with its summary and links, fits a Task Queue task (100 KB).
   */
  static final int MAX_DETAILS_BYTES = 32 * 1024;
  /** What a long detail is cut to when the details are too big. */
  static final int MAX_CUT_DETAIL_CHARS = 4 * 1024;
  static final int MAX_LINK_CHARS = 2048;
  static final int MAX_LINK_TEXT_CHARS = 256;
  static final String CLIENT = "phoneduty";

  static final String ENQUEUE_PATH = "/v2/enqueue";
  static final String CHANGE_PATH = "/v2/change/enqueue";

  private final JSONObject json;
  private final Optional<String> changeKey;

  PagerDutyEvent(JSONObject json, Optional<String> changeKey) {
    this.json = json;
    this.changeKey = changeKey;
  }

  PagerDutyEvent(JSONObject json) {
    this(json, Optional.empty());
  }

  /** Starts a trigger event; the dedup key ties webhook retries and later events to one alert. */
  public static TriggerEvent trigger(RoutingKey routingKey, String dedupKey) {
    return new TriggerEvent(routingKey, dedupKey);
  }

  /** Acknowledges the alert opened under this dedup key. */
  public static PagerDutyEvent acknowledge(RoutingKey routingKey, String dedupKey) {
    return new PagerDutyEvent(
        new JSONObject()
            .put("routing_key", routingKey.value())
            .put("event_action", "acknowledge")
            .put("dedup_key", dedupKey(dedupKey)));
  }

  /**
   * Starts a change event.
   *
   * @param key phoneduty's own key for it (a CallSid and what happened), never sent to PagerDuty
   */
  public static ChangeEvent change(RoutingKey routingKey, String key) {
    return new ChangeEvent(routingKey, dedupKey(key));
  }

  /** Reads back an alert event serialised by {@link #toJson()}; rejects anything else. */
  public static PagerDutyEvent fromJson(String text) {
    return fromJson(text, Optional.empty());
  }

  /**
   * Reads back an event serialised by {@link #toJson()}, a change event when {@code changeKey}
   * (its {@link #dedupKey()}) is given; rejects anything else.
   */
  public static PagerDutyEvent fromJson(String text, Optional<String> changeKey) {
    try {
      JSONObject json = new JSONObject(text);
      if (RoutingKey.parse(json.optString("routing_key", null)).isEmpty()) {
        throw new IllegalArgumentException("not a phoneduty event: routing_key missing");
      }
      if (changeKey.isPresent()) {
        if (json.optJSONObject("payload") == null || changeKey.get().isEmpty()) {
          throw new IllegalArgumentException("not a phoneduty change event: payload or key missing");
        }
        return new PagerDutyEvent(json, changeKey);
      }
      if (json.optString("event_action").isEmpty() || json.optString("dedup_key").isEmpty()) {
        throw new IllegalArgumentException("not a phoneduty event: event_action or dedup_key missing");
      }
      return new PagerDutyEvent(json);
    } catch (JSONException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  /** {@code trigger}, {@code acknowledge}, or {@code change} for a change event. */
  public String action() {
    return changeKey.isPresent() ? "change" : json.getString("event_action");
  }

  /** The alert's dedup key, or phoneduty's own key of a change event. */
  public String dedupKey() {
    return changeKey.orElseGet(() -> json.getString("dedup_key"));
  }

  /** True for a change event. */
  public boolean isChange() {
    return changeKey.isPresent();
  }

  /** Where the Events API takes this event, under its base URL. */
  public String path() {
    return isChange() ? CHANGE_PATH : ENQUEUE_PATH;
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
    return new PagerDutyEvent(copy, changeKey);
  }

  /** A custom detail's text, if the event has it (a trigger's {@code from}, {@code call_sid}, …). */
  public Optional<String> detail(String name) {
    JSONObject payload = json.optJSONObject("payload");
    JSONObject details = payload == null ? null : payload.optJSONObject("custom_details");
    Object value = details == null ? null : details.opt(name);
    return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString());
  }

  /**
   * A copy of this trigger that joins another incident: its dedup key, the summary after {@code
   * summaryPrefix} (cut to PagerDuty's limit again), and {@code why} in the custom detail {@code detailName}.
   */
  public PagerDutyEvent joining(String incidentKey, String summaryPrefix, String detailName, String why) {
    JSONObject copy = new JSONObject(json.toString());
    copy.put("dedup_key", dedupKey(incidentKey));
    JSONObject payload = copy.optJSONObject("payload");
    if (payload != null) {
      payload.put("summary", summary(summaryPrefix + payload.optString("summary")));
      JSONObject details = payload.optJSONObject("custom_details");
      if (details == null) {
        details = new JSONObject();
        payload.put("custom_details", details);
      }
      details.put(detailName, why);
    }
    return new PagerDutyEvent(copy, changeKey);
  }

  /** A copy without the link to {@code href}, and with {@code note} where its texts named it. */
  public PagerDutyEvent withoutLink(String href, String note) {
    JSONObject copy = new JSONObject(json.toString());
    JSONArray links = copy.optJSONArray("links");
    if (links != null) {
      for (int i = links.length() - 1; i >= 0; i--) {
        JSONObject link = links.optJSONObject(i);
        if (link != null && href.equals(link.optString("href"))) {
          links.remove(i);
        }
      }
      if (links.isEmpty()) {
        copy.remove("links");
      }
    }
    return new PagerDutyEvent(copy, changeKey).replacingText(href, note);
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


  @Override
  public String toString() {
    // The dedup key is a CallSid or MessageSid from a webhook: log lines get it escaped.
    return action() + " " + LogSafe.of(dedupKey()) + " for " + routingKey();
  }

  /** Keys longer than PagerDuty takes are replaced by their SHA-256, stable across retries. */
  static String dedupKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("dedup_key is required");
    }
    return key.length() <= MAX_DEDUP_KEY_CHARS ? key : "sha256:" + Text.sha256Hex(key);
  }

  static String summary(String text) {
    return Text.cutWithEllipsis(text, MAX_SUMMARY_CHARS);
  }

  private static int bytes(Object json) {
    return json.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  static void putDetail(JSONObject details, String name, Object value) {
    if (value != null && !(value instanceof String text && text.isBlank())) {
      details.put(name, value);
    }
  }

  /** The details, cut so that they fit {@link #MAX_DETAILS_BYTES}: long texts first, then all of them. */
  static JSONObject fitted(JSONObject details) {
    if (bytes(details) <= MAX_DETAILS_BYTES) {
      return details;
    }
    JSONObject cut = new JSONObject();
    for (String name : details.keySet()) {
      Object value = details.get(name);
      if (value instanceof String text && text.length() > MAX_CUT_DETAIL_CHARS) {
        value = Text.cut(text, MAX_CUT_DETAIL_CHARS) + "… (cut from " + text.length() + " characters)";
      }
      cut.put(name, value);
    }
    if (bytes(cut) <= MAX_DETAILS_BYTES) {
      return cut;
    }
    return new JSONObject().put("note", "custom details left out: they were larger than "
        + MAX_DETAILS_BYTES / 1024 + " KB");
  }
}
