package phoneduty.forwarding;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import phoneduty.pagerduty.EscalationLevel;
import phoneduty.pagerduty.EventQueue;
import phoneduty.pagerduty.OnCallDirectory;
import phoneduty.pagerduty.OnCallLookup;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.pagerduty.Responder;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.twilio.Caller;
import phoneduty.twilio.Twiml;
import phoneduty.twilio.WebhookParameters;
import phoneduty.voicemail.Voicemail;

/**
 * Live forwarding: rings whoever PagerDuty says is on call, level by level, and falls back to
 * voicemail so that no call is lost.
 *
 * <p>Within a level we ring one number at a time, not all at once. Twilio connects the first leg
 * of a multi-number {@code <Dial>} that picks up and hangs up the rest; a phone's own voicemail
 * picks up too, so ringing at once would let any voicemail that answers first cut off the real
 * people in that level. One at a time, each leg hears the whisper and only a person pressing 1
 * is bridged; a voicemail that answers just ends that leg and we ring the next.
 */
public final class Forwarding {

  public static final String PATH = "/forward";
  static final String NEXT_PATH = PATH + "/next";
  static final String WHISPER_PATH = PATH + "/whisper";
  static final String ACCEPT_PATH = PATH + "/accept";
  static final String FORWARDING_FAILED =
      "We could not connect you to the on-call engineer right now.";
  static final String NOBODY_ANSWERED = "The on-call engineers could not take your call.";
  static final String CANNOT_FORWARD =
      "Sorry, this on call line cannot reach the on-call engineer right now and takes no messages."
          + " Please try again later or reach them another way. Goodbye.";
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Logger log = Logger.getLogger(Forwarding.class.getName());

  private final OnCallDirectory directory;
  private final EventQueue events;
  private final Clock clock;

  public Forwarding() {
    this(new OnCallDirectory(), new EventQueue(), Clock.systemUTC());
  }

  public Forwarding(OnCallDirectory directory, EventQueue events, Clock clock) {
    this.directory = directory;
    this.events = events;
    this.clock = clock;
  }

  /** {@code /forward}: a call arrives. */
  public String start(WebhookParameters params) {
    Route route = Route.of(params);
    if (route.serviceKeyProblem != null && route.serviceKey.isEmpty()) {
      log.severe("/forward: " + route.serviceKeyProblem + "; calls cannot fall back to voicemail");
    }
    Optional<String> problem = route.problem();
    if (problem.isPresent()) {
      log.severe("/forward cannot forward the call from " + Caller.describe(params) + ": " + problem.get());
      return fallBack(route, params, "this line is misconfigured: " + problem.get());
    }
    OnCallLookup lookup = directory.lookup(route.policies, route.schedules);
    if (!lookup.found()) {
      log.warning("/forward sends the call from " + Caller.describe(params) + " to voicemail: " + lookup);
      return fallBack(route, params, lookup.reason());
    }
    List<EscalationLevel> levels = lookup.levels();
    route.serviceKey.ifPresent(key -> page(key, params,
        "Call from " + Caller.describe(params) + " to the on-call line: ringing " + who(levels.get(0)),
        "ringing " + who(levels.get(0)) + " (level " + levels.get(0).level() + ")"));
    return ring(route.at(0, 0), params, levels, route.greeting.orElse(Twiml.DEFAULT_FORWARD_GREETING));
  }

  /** {@code /forward/next}: the {@code <Dial>} ended; hang up if bridged, else ring on. */
  public String next(WebhookParameters params) {
    Route route = Route.of(params);
    String status = params.getOrDefault("DialCallStatus", "unknown");
    if ("true".equalsIgnoreCase(params.getOrDefault("DialBridged", "false"))
        || "completed".equals(params.getOrDefault("CallStatus", ""))) {
      log.info("Forwarded call " + params.getOrDefault("CallSid", "?") + " ended (" + status + ")");
      return Twiml.hangUp();
    }
    OnCallLookup lookup = directory.lookup(route.policies, route.schedules);
    if (!lookup.found()) {
      log.warning("Forwarded call " + params.getOrDefault("CallSid", "?") + " goes to voicemail: " + lookup);
      return fallBack(route, params, lookup.reason());
    }
    List<EscalationLevel> levels = lookup.levels();
    Route moved = advance(route, levels);
    if (moved.level >= levels.size()) {
      log.info("Nobody accepted forwarded call " + params.getOrDefault("CallSid", "?")
          + " (last ring: " + status + "); offering voicemail");
      return voicemail(route, params, NOBODY_ANSWERED);
    }
    log.info("Forwarded call " + params.getOrDefault("CallSid", "?") + ": ring " + status
        + "; now level " + levels.get(moved.level).level() + ", number " + (moved.number + 1));
    return ring(moved, params, levels, null);
  }

  /** {@code /forward/whisper}: played to the responder's leg before the caller is connected. */
  public String whisper(WebhookParameters params) {
    String prompt = "Call for the on call line " + spell(params.getOrDefault("line", "")) + " from "
        + spell(params.getOrDefault("caller", "an unknown number")) + ". Press 1 to accept.";
    return Twiml.whisper(prompt, ACCEPT_PATH + "?" + Route.of(params).query() + callQuery(
        params.getOrDefault("call", ""), params.getOrDefault("caller", ""), params.getOrDefault("line", "")));
  }

  /** {@code /forward/accept}: the responder's key press. */
  public String accept(WebhookParameters params) {
    if (!"1".equals(params.getOrDefault("Digits", ""))) {
      log.info("Responder leg " + params.getOrDefault("CallSid", "?") + " did not press 1; hanging it up");
      return Twiml.hangUp();
    }
    Route route = Route.of(params);
    String parentCall = params.get("call").or(() -> params.get("ParentCallSid")).orElse(null);
    log.info("Responder " + params.getOrDefault("To", "?") + " accepted call " + parentCall);
    if (route.serviceKey.isPresent() && parentCall != null) {
      events.enqueue("forward", PagerDutyEvent.acknowledge(route.serviceKey.get(), parentCall));
    }
    return Twiml.bridge();
  }

  private String ring(Route route, WebhookParameters params, List<EscalationLevel> levels, String greeting) {
    String number = levels.get(route.level).phoneNumbers().get(route.number);
    String callerId = params.get("From").filter(f -> E164.matcher(f).matches()).filter(f -> !route.showTwilioNumber)
        .orElse(params.getOrDefault("To", ""));
    String whisperUrl = WHISPER_PATH + "?" + route.query() + callQuery(
        params.getOrDefault("CallSid", ""), params.getOrDefault("From", ""), params.getOrDefault("To", ""));
    return Twiml.ringResponder(greeting, number, callerId, route.ringSeconds, NEXT_PATH + "?" + route.query(), whisperUrl);
  }

  /** The next number in this level, or the first of the next level with one. */
  private static Route advance(Route route, List<EscalationLevel> levels) {
    int level = route.level;
    int number = route.number + 1;
    while (level < levels.size() && number >= levels.get(level).phoneNumbers().size()) {
      level++;
      number = 0;
    }
    return route.at(level, number);
  }

  /** Forwarding could not even start: say why, then voicemail if this line has a service key. */
  private String fallBack(Route route, WebhookParameters params, String reason) {
    route.serviceKey.ifPresent(key -> page(key, params,
        "Call from " + Caller.describe(params) + " could not be forwarded (" + reason + "); caller sent to voicemail",
        "not forwarded: " + reason));
    return voicemail(route, params, FORWARDING_FAILED);
  }

  private String voicemail(Route route, WebhookParameters params, String explanation) {
    if (route.serviceKey.isEmpty()) {
      log.severe("Call from " + Caller.describe(params) + " reached nobody and has no voicemail to fall back on"
          + " (no valid service_key in the /forward URL)");
      return Twiml.explainAndHangUp(explanation + " " + CANNOT_FORWARD);
    }
    return Twiml.explainThenVoicemail(explanation, route.voicemailGreeting.orElse(Twiml.DEFAULT_GREETING),
        Voicemail.recordingAction(route.serviceKey.get(), params));
  }

  private void page(RoutingKey key, WebhookParameters params, String summary, String forwarding) {
    Optional<String> callSid = params.get("CallSid");
    if (callSid.isEmpty()) {
      log.warning("/forward without CallSid: no incident opened on arrival");
      return;
    }
    events.enqueue("forward", Caller.trigger(key, callSid.get(), params, "forwarding", "phone call", clock.instant())
        .summary(summary)
        .detail("call_sid", callSid.get())
        .detail("forwarding", forwarding)
        .build());
  }

  private static String who(EscalationLevel level) {
    return level.responders().stream().map(Responder::name).collect(Collectors.joining(", "));
  }

  /** The parent call, as the responder's leg must carry it: its sid, the caller and the line. */
  private static String callQuery(String call, String caller, String line) {
    return "&call=" + Route.encode(call) + "&caller=" + Route.encode(caller) + "&line=" + Route.encode(line);
  }

  /** "+1 415" becomes "1 4 1 5", which text-to-speech reads digit by digit. */
  static String spell(String number) {
    String digits = number.replaceAll("[^0-9]", "");
    return digits.isEmpty() ? number : String.join(" ", digits.split(""));
  }
}
