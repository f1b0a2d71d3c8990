package phoneduty.twilio;

import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.pagerduty.TriggerEvent;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.pagerduty.Severity;
import phoneduty.text.LogSafe;

/**
 * One Twilio webhook, read once at the adapter: the call or message it is about, who is calling,
 * the number they called, and the line's own settings from the URL (its service key and severity).
 *
 * @param sid the CallSid, or the MessageSid of a text
 * @param line the number that was called or texted (Twilio's {@code To})
 * @param speech how the line speaks ({@code voice}, {@code language})
 * @param parameters everything else Twilio and the URL sent
 */
public record Webhook(Optional<String> sid, Caller caller, Optional<String> line, RoutingKey.Checked serviceKey,
    Optional<Severity> severity, Speech speech, WebhookParameters parameters) {

  /** Twilio's parameter names and the custom_details names they become. */
  private static final String[][] DETAILS = {
    {"From", "from"},
    {"To", "to"},
    {"CallerName", "caller_name"},
    {"FromCity", "from_city"},
    {"FromState", "from_state"},
    {"FromZip", "from_zip"},
    {"FromCountry", "from_country"},
    {"ToCity", "to_city"},
    {"ToState", "to_state"},
    {"ToCountry", "to_country"},
  };
  private static final Logger log = Logger.getLogger(Webhook.class.getName());

  public static Webhook of(WebhookParameters params) {
    return new Webhook(
        params.get("CallSid").or(() -> params.get("MessageSid")).or(() -> params.get("SmsSid")),
        Caller.of(params),
        params.get("To"),
        RoutingKey.check(params.raw("service_key")),
        severity(params),
        Speech.of(params),
        params);
  }

  /** A parameter, trimmed; empty when absent or blank. */
  public Optional<String> get(String name) {
    return parameters.get(name);
  }

  public String getOrDefault(String name, String fallback) {
    return parameters.getOrDefault(name, fallback);
  }

  /** The source of the events this webhook opens: the line, as "phoneduty +18005551212". */
  public String source() {
    return line.map(to -> "phoneduty " + to).orElse("phoneduty");
  }

  /**
   * A trigger about this call or message: the line as source, the line's severity, the time, and
   * what Twilio told us about the caller and the line as custom details.
   */
  public TriggerEvent trigger(RoutingKey key, String dedupKey, String component, String eventClass,
      Instant at) {
    TriggerEvent trigger = PagerDutyEvent.trigger(key, dedupKey)
        .source(source())
        .classify(severity.orElse(Severity.CRITICAL), component, eventClass, at);
    for (String[] detail : DETAILS) {
      trigger.detail(detail[1], parameters.get(detail[0]).orElse(null));
    }
    return trigger;
  }

  /** The sid for log lines. */
  public String sidForLog() {
    return LogSafe.of(sid.orElse("?"));
  }

  /** The caller for log lines. */
  public String callerForLog() {
    return LogSafe.of(caller.describe());
  }

  // The line's severity parameter; a typo is logged and ignored, never blocking a page.
  private static Optional<Severity> severity(WebhookParameters params) {
    Optional<String> text = params.get("severity");
    Optional<Severity> severity = text.flatMap(Severity::parse);
    if (text.isPresent() && severity.isEmpty()) {
      log.warning("Ignoring unknown severity " + LogSafe.of(text.get())
          + " (use critical, error, warning or info); paging as critical");
    }
    return severity;
  }
}
