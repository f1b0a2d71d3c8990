package phoneduty.forwarding;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.twilio.WebhookParameters;

/**
 * What a forwarded call is configured to do, read from the Twilio number's URL, and how far it
 * has got (which level, which number). Each step's URL carries it on to the next, so no state
 * lives on the server between Twilio's requests.
 */
final class Route {

  static final int DEFAULT_RING_SECONDS = 20;
  static final int MIN_RING_SECONDS = 5;
  static final int MAX_RING_SECONDS = 60;
  private static final Pattern PAGERDUTY_ID = Pattern.compile("[A-Z0-9]{2,20}");

  final List<String> policies;
  final List<String> schedules;
  final Optional<RoutingKey> serviceKey;
  final String serviceKeyProblem;
  final Optional<String> greeting;
  final Optional<String> voicemailGreeting;
  final Optional<String> severity;
  final int ringSeconds;
  final boolean showTwilioNumber;
  final int level;
  final int number;

  private Route(WebhookParameters params) {
    policies = params.all("escalation_policy");
    schedules = params.all("schedule");
    serviceKey = RoutingKey.parse(params.raw("service_key"));
    serviceKeyProblem = params.raw("service_key") == null ? null : RoutingKey.problemWith(params.raw("service_key"));
    greeting = params.get("greeting");
    voicemailGreeting = params.get("voicemail_greeting");
    severity = params.get("severity");
    ringSeconds = ringSeconds(params.get("ring_seconds"));
    showTwilioNumber = params.get("caller_id").map("number"::equals).orElse(false);
    level = index(params.get("level"));
    number = index(params.get("number"));
  }

  static Route of(WebhookParameters params) {
    return new Route(params);
  }

  /** What is wrong with the URL's configuration, or empty when it can be tried. */
  Optional<String> problem() {
    if (policies.isEmpty() && schedules.isEmpty()) {
      return Optional.of("the URL names no escalation_policy or schedule");
    }
    List<String> bad = new ArrayList<>();
    policies.stream().filter(id -> !PAGERDUTY_ID.matcher(id).matches()).forEach(id -> bad.add("escalation_policy"));
    schedules.stream().filter(id -> !PAGERDUTY_ID.matcher(id).matches()).forEach(id -> bad.add("schedule"));
    if (!bad.isEmpty()) {
      return Optional.of("the URL has a malformed " + bad.get(0) + " id (expected a PagerDuty id such as PABC123)");
    }
    return Optional.empty();
  }

  /** The same route, moved on to another level and number. */
  Route at(int nextLevel, int nextNumber) {
    return new Route(this, nextLevel, nextNumber);
  }

  private Route(Route from, int level, int number) {
    policies = from.policies;
    schedules = from.schedules;
    serviceKey = from.serviceKey;
    serviceKeyProblem = from.serviceKeyProblem;
    greeting = from.greeting;
    voicemailGreeting = from.voicemailGreeting;
    severity = from.severity;
    ringSeconds = from.ringSeconds;
    showTwilioNumber = from.showTwilioNumber;
    this.level = level;
    this.number = number;
  }

  /** The query string that carries this route to the next step (never the greeting: not needed). */
  String query() {
    StringJoiner query = new StringJoiner("&");
    policies.forEach(id -> query.add("escalation_policy=" + encode(id)));
    schedules.forEach(id -> query.add("schedule=" + encode(id)));
    serviceKey.ifPresent(key -> query.add("service_key=" + key.value()));
    voicemailGreeting.ifPresent(text -> query.add("voicemail_greeting=" + encode(text)));
    severity.ifPresent(text -> query.add("severity=" + encode(text)));
    query.add("ring_seconds=" + ringSeconds);
    if (showTwilioNumber) {
      query.add("caller_id=number");
    }
    query.add("level=" + level);
    query.add("number=" + number);
    return query.toString();
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static int ringSeconds(Optional<String> text) {
    if (text.isEmpty()) {
      return DEFAULT_RING_SECONDS;
    }
    try {
      return Math.max(MIN_RING_SECONDS, Math.min(MAX_RING_SECONDS, Integer.parseInt(text.get())));
    } catch (NumberFormatException e) {
      return DEFAULT_RING_SECONDS;
    }
  }

  private static int index(Optional<String> text) {
    try {
      return text.map(Integer::parseInt).filter(i -> i >= 0).orElse(0);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
