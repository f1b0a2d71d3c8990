package phoneduty.twilio;

import java.time.Instant;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.logging.Logger;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.pagerduty.Severity;

/** Who called or texted, as Twilio describes them, for incident summaries and details. */
public final class Caller {

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

  private static final Logger log = Logger.getLogger(Caller.class.getName());

  private Caller() {}

  /**
   * A trigger about this call or message: the line as source, the URL's severity, the time, and
   * everything Twilio told us about the caller as custom details.
   */
  public static PagerDutyEvent.Trigger trigger(RoutingKey key, String dedupKey, WebhookParameters params,
      String component, String eventClass, Instant at) {
    PagerDutyEvent.Trigger trigger = PagerDutyEvent.trigger(key, dedupKey)
        .source(line(params))
        .severity(severity(params).orElse(Severity.CRITICAL))
        .component(component)
        .eventClass(eventClass)
        .timestamp(at);
    for (String[] detail : DETAILS) {
      trigger.detail(detail[1], params.get(detail[0]).orElse(null));
    }
    return trigger;
  }

  /** The number's {@code severity} parameter; a typo is logged and ignored, never blocking a page. */
  public static Optional<Severity> severity(WebhookParameters params) {
    Optional<String> text = params.get("severity");
    Optional<Severity> severity = text.flatMap(Severity::parse);
    if (text.isPresent() && severity.isEmpty()) {
      log.warning("Ignoring unknown severity '" + text.get().replaceAll("[^A-Za-z]", "?")
          + "' (use critical, error, warning or info); paging as critical");
    }
    return severity;
  }

  /** "+14155550100 (JANE DOE, San Francisco, CA)", or "an unknown number". */
  public static String describe(WebhookParameters params) {
    String number = params.get("From").orElse("an unknown number");
    StringJoiner extra = new StringJoiner(", ");
    params.get("CallerName").ifPresent(extra::add);
    params.get("FromCity").ifPresent(extra::add);
    params.get("FromState").ifPresent(extra::add);
    params.get("FromCountry").ifPresent(extra::add);
    return extra.length() == 0 ? number : number + " (" + extra + ")";
  }

  /** The number that was dialled or texted, as the event's source. */
  public static String line(WebhookParameters params) {
    return params.get("To").map(to -> "phoneduty " + to).orElse("phoneduty");
  }

}
