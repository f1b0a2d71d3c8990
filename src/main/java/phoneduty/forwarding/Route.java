package phoneduty.forwarding;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import phoneduty.pagerduty.PagerDutyId;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.pagerduty.Severity;
import phoneduty.text.Text;
import phoneduty.twilio.Speech;
import phoneduty.twilio.Webhook;
import phoneduty.voicemail.Voicemail;

/**
 * What a forwarded call is configured to do, read from the Twilio number's URL, and how far it
 * has got (which level, which number). Each step's URL carries it on to the next, so no state
 * lives on the server between Twilio's requests.
 *
 * @param incidentPerCall {@code answered=incident}: trigger an incident when the call arrives and
 *     acknowledge it when a responder accepts, instead of a change event
 * @param transcribe {@code transcribe=true}: the voicemail fallback records with Twilio's transcription
 * @param round how many times the call has gone round all levels already (the policy's
 *     {@code num_loops})
 * @param since when ringing began, in epoch seconds; 0 until the call arrives
 * @param level index into the on-call levels found, 0 first
 * @param number index into that level's phone numbers
 * @param speech how the line speaks, carried to every step
 */
record Route(List<String> policies, List<String> schedules, Optional<RoutingKey> serviceKey,
    Optional<String> voicemailGreeting, Optional<Severity> severity, int ringSeconds,
    boolean showTwilioNumber, boolean incidentPerCall, boolean transcribe, int round, long since, int level,
    int number, Speech speech) {

  static final int DEFAULT_RING_SECONDS = 20;
  static final int MIN_RING_SECONDS = 5;
  static final int MAX_RING_SECONDS = 60;
  /** No escalation policy has this many levels or numbers; a larger index in a URL is not ours. */
  static final int MAX_INDEX = 1000;

  static Route of(Webhook call) {
    return new Route(
        call.parameters().all("escalation_policy"),
        call.parameters().all("schedule"),
        call.serviceKey().key(),
        call.get("voicemail_greeting"),
        call.severity(),
        ringSeconds(call.get("ring_seconds")),
        call.get("caller_id").map("number"::equals).orElse(false),
        call.get("answered").map("incident"::equals).orElse(false),
        Voicemail.transcribe(call),
        index(call.get("round")),
        seconds(call.get("since")),
        index(call.get("level")),
        index(call.get("number")),
        call.speech());
  }

  /** What is wrong with the URL's configuration, or empty when it can be tried. */
  Optional<String> problem() {
    if (policies.isEmpty() && schedules.isEmpty()) {
      return Optional.of("the URL names no escalation_policy or schedule");
    }
    List<String> bad = new ArrayList<>();
    policies.stream().filter(id -> !PagerDutyId.isValid(id)).forEach(id -> bad.add("escalation_policy"));
    schedules.stream().filter(id -> !PagerDutyId.isValid(id)).forEach(id -> bad.add("schedule"));
    if (!bad.isEmpty()) {
      return Optional.of("the URL has a malformed " + bad.get(0) + " id (expected a PagerDuty id such as PABC123)");
    }
    return Optional.empty();
  }

  /** The same route, moved on to another level and number. */
  Route at(int nextLevel, int nextNumber) {
    return new Route(policies, schedules, serviceKey, voicemailGreeting, severity, ringSeconds,
        showTwilioNumber, incidentPerCall, transcribe, round, since, nextLevel, nextNumber, speech);
  }

  /** The same route, starting round {@code nextRound} from the first level. */
  Route inRound(int nextRound) {
    return new Route(policies, schedules, serviceKey, voicemailGreeting, severity, ringSeconds,
        showTwilioNumber, incidentPerCall, transcribe, nextRound, since, 0, 0, speech);
  }

  /** The same route, ringing since then (epoch seconds). */
  Route since(long epochSeconds) {
    return new Route(policies, schedules, serviceKey, voicemailGreeting, severity, ringSeconds,
        showTwilioNumber, incidentPerCall, transcribe, round, epochSeconds, level, number, speech);
  }

  /** The query string that carries this route to the next step (never the greeting: not needed). */
  String query() {
    StringJoiner query = new StringJoiner("&");
    policies.forEach(id -> query.add("escalation_policy=" + Text.urlEncode(id)));
    schedules.forEach(id -> query.add("schedule=" + Text.urlEncode(id)));
    serviceKey.ifPresent(key -> query.add("service_key=" + key.value()));
    voicemailGreeting.ifPresent(text -> query.add("voicemail_greeting=" + Text.urlEncode(text)));
    severity.ifPresent(s -> query.add("severity=" + s.json()));
    query.add("ring_seconds=" + ringSeconds);
    if (showTwilioNumber) {
      query.add("caller_id=number");
    }
    if (incidentPerCall) {
      query.add("answered=incident");
    }
    if (transcribe) {
      query.add("transcribe=true");
    }
    query.add("round=" + round);
    query.add("since=" + since);
    query.add("level=" + level);
    query.add("number=" + number);
    return query + speech.query();
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

  private static long seconds(Optional<String> text) {
    try {
      return text.map(Long::parseLong).filter(s -> s > 0).orElse(0L);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int index(Optional<String> text) {
    try {
      return text.map(Integer::parseInt).filter(i -> i >= 0).map(i -> Math.min(i, MAX_INDEX)).orElse(0);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
