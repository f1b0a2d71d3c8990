package phoneduty.forwarding;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import phoneduty.calllog.CallLog;
import phoneduty.calllog.Kind;
import phoneduty.calllog.PageStatus;
import phoneduty.calllog.Step;
import phoneduty.delivery.EventQueue;
import phoneduty.oncall.EscalationLevel;
import phoneduty.oncall.OnCallDirectory;
import phoneduty.oncall.OnCallLookup;
import phoneduty.oncall.Responder;
import phoneduty.text.LogSafe;
import phoneduty.text.Text;
import phoneduty.twilio.Greeting;
import phoneduty.twilio.Sentence;
import phoneduty.twilio.Speech;
import phoneduty.twilio.Twiml;
import phoneduty.twilio.Webhook;
import phoneduty.transcript.Transcripts;
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
 *
 * <p>After the last level the call goes round again as many times as the escalation policy's
 * {@code num_loops} says, but never rings for longer than {@link #MAX_RINGING} in all: then
 * voicemail. What PagerDuty hears of the call is {@link CallEvents}' job.
 */
public record Forwarding(OnCallDirectory directory, CallEvents events, CallLog callLog, Clock clock) {

  public static final String PATH = "/forward";
  static final String NEXT_PATH = PATH + "/next";
  static final String WHISPER_PATH = PATH + "/whisper";
  static final String ACCEPT_PATH = PATH + "/accept";
  /** The longest one call rings responders before it is offered voicemail. */
  public static final Duration MAX_RINGING = Duration.ofMinutes(10);
  static final String FORWARDING_FAILED = Sentence.FORWARDING_FAILED.english();
  static final String NOBODY_ANSWERED = Sentence.NOBODY_ANSWERED.english();
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Logger log = Logger.getLogger(Forwarding.class.getName());

  public Forwarding(OnCallDirectory directory, EventQueue queue, CallLog callLog, Clock clock) {
    this(directory, new CallEvents(queue, clock), callLog, clock);
  }

  /** {@code /forward}: a call arrives. */
  public String start(Webhook call) {
    Route route = Route.of(call).since(clock.instant().getEpochSecond());
    callLog.arrived(call, PATH, Kind.CALL, PageStatus.NONE, Step.arrived("forwarding to who is on call"));
    if (call.serviceKey().given() && route.serviceKey().isEmpty()) {
      log.severe("/forward: " + call.serviceKey().problem() + "; calls cannot fall back to voicemail");
    }
    Optional<String> problem = route.problem();
    if (problem.isPresent()) {
      log.severe("/forward cannot forward the call from " + call.callerForLog() + ": " + problem.get());
      return fallBack(route, call, "this line is misconfigured: " + problem.get());
    }
    OnCallLookup lookup = directory.lookup(route.policies(), route.schedules());
    if (!lookup.found()) {
      log.warning("/forward sends the call from " + call.callerForLog() + " to voicemail: " + lookup);
      return fallBack(route, call, lookup.reason());
    }
    EscalationLevel first = lookup.levels().get(0);
    if (route.incidentPerCall()) {
      route.serviceKey().ifPresent(key -> events.arrived(key, call,
          "Call from " + call.caller().describe() + " to the on-call line: ringing " + who(first),
          "ringing " + who(first) + " (level " + first.level() + ")" + lookup.staleNote().map(n -> "; " + n).orElse("")));
    }
    return ring(route.at(0, 0), call, lookup.levels(),
        Greeting.of(call.parameters(), route.speech().sentence(Sentence.FORWARD_GREETING)));
  }

  /** {@code /forward/next}: the {@code <Dial>} ended; hang up if bridged, else ring on. */
  public String next(Webhook call) {
    Route route = Route.of(call);
    String status = LogSafe.of(call.getOrDefault("DialCallStatus", "unknown"));
    if ("true".equalsIgnoreCase(call.getOrDefault("DialBridged", "false"))) {
      log.info("Forwarded call " + call.sidForLog() + " ended after it was bridged (" + status + ")");
      callLog.step(call.sid(), Step.forwardingEnded("answered by " + call.getOrDefault("rang_name", "a responder")
          + call.get("DialCallDuration").map(s -> ", talked " + s + " s").orElse("")));
      if (!route.incidentPerCall()) {
        route.serviceKey().ifPresent(key -> events.accepted(key, call, call.getOrDefault("rang_name", "A responder"),
            call.get("DialCallDuration"), directory.lookup(route.policies(), route.schedules()).staleNote()));
      }
      return Twiml.hangUp();
    }
    callLog.step(call.sid(), Step.ringEnded(status));
    OnCallLookup lookup = directory.lookup(route.policies(), route.schedules());
    if ("completed".equals(call.getOrDefault("CallStatus", ""))) {
      log.info("Caller hung up while forwarded call " + call.sidForLog() + " rang (" + status + ")");
      callLog.step(call.sid(), Step.missed("hung up while the on-call line rang " + rang(route, lookup)));
      if (!route.incidentPerCall()) {
        route.serviceKey().ifPresent(key -> events.missed(key, call, rang(route, lookup), lookup.staleNote()));
      }
      return Twiml.hangUp();
    }
    if (!lookup.found()) {
      log.warning("Forwarded call " + call.sidForLog() + " goes to voicemail: " + lookup);
      return fallBack(route, call, lookup.reason());
    }
    List<EscalationLevel> levels = lookup.levels();
    Route moved = advance(route, levels);
    if (moved.level() >= levels.size() && moved.round() < Math.min(lookup.loops(), Route.MAX_INDEX)) {
      moved = moved.inRound(moved.round() + 1);
    }
    if (moved.level() >= levels.size() || ringingTooLong(route)) {
      log.info("Nobody accepted forwarded call " + call.sidForLog() + " (last ring: " + status + "); offering voicemail");
      return voicemail(route, call, Sentence.NOBODY_ANSWERED, Optional.of(rang(route, lookup) + "; nobody accepted"
          + lookup.staleNote().map(n -> "; " + n).orElse("")));
    }
    log.info("Forwarded call " + call.sidForLog() + ": ring " + status + "; now level "
        + levels.get(moved.level()).level() + ", number " + (moved.number() + 1) + ", round " + (moved.round() + 1));
    return ring(moved, call, levels, null);
  }

  /** {@code /forward/whisper}: played to the responder's leg before the caller is connected. */
  public String whisper(Webhook leg) {
    Speech speech = leg.speech();
    String prompt = speech.sentence(Sentence.WHISPER, spell(leg.getOrDefault("line", "")),
        spell(leg.getOrDefault("caller", speech.sentence(Sentence.UNKNOWN_NUMBER))));
    return Twiml.whisper(speech, prompt, ACCEPT_PATH + "?" + Route.of(leg).query()
        + parentCallQuery(leg.getOrDefault("call", ""), leg.getOrDefault("caller", ""), leg.getOrDefault("line", "")));
  }

  /** {@code /forward/accept}: the responder's key press. */
  public String accept(Webhook leg) {
    if (!"1".equals(leg.getOrDefault("Digits", ""))) {
      log.info("Responder leg " + leg.sidForLog() + " did not press 1; hanging it up");
      return Twiml.hangUp();
    }
    Route route = Route.of(leg);
    Optional<String> parentCall = leg.get("call").or(() -> leg.get("ParentCallSid"));
    log.info("Responder " + LogSafe.of(leg.line().orElse("?")) + " accepted call " + LogSafe.of(parentCall.orElse("?")));
    callLog.step(parentCall, Step.accepted(leg.line().orElse("an unknown number")));
    if (route.incidentPerCall() && route.serviceKey().isPresent() && parentCall.isPresent()) {
      events.acknowledge(route.serviceKey().get(), parentCall.get());
    }
    return Twiml.bridge();
  }

  private String ring(Route route, Webhook call, List<EscalationLevel> levels, Greeting greeting) {
    EscalationLevel level = levels.get(route.level());
    String number = level.phoneNumbers().get(route.number());
    String name = level.responders().stream().filter(r -> r.phoneNumbers().contains(number)).findFirst()
        .map(Responder::name).orElse(number);
    callLog.step(call.sid(), Step.rang(level.level(), who(level), number));
    String callerId = call.caller().number().filter(from -> E164.matcher(from).matches())
        .filter(from -> !route.showTwilioNumber())
        .orElse(call.line().orElse(""));
    String whisperUrl = WHISPER_PATH + "?" + route.query() + parentCallQuery(
        call.sid().orElse(""), call.caller().number().orElse(""), call.line().orElse(""));
    return Twiml.ringResponder(route.speech(), greeting, number, callerId, route.ringSeconds(),
        NEXT_PATH + "?" + route.query() + "&rang_name=" + Text.urlEncode(Text.cut(name, 100)), whisperUrl);
  }

  /** The next number in this level, or the first of the next level with one; past the end when none is left. */
  static Route advance(Route route, List<EscalationLevel> levels) {
    if (route.level() >= levels.size()) {
      return route.at(levels.size(), 0);
    }
    int level = route.level();
    int number = route.number() + 1; // Route caps indices, so this cannot overflow
    while (level < levels.size() && number >= levels.get(level).phoneNumbers().size()) {
      level++;
      number = 0;
    }
    return route.at(level, number);
  }

  private boolean ringingTooLong(Route route) {
    return route.since() > 0
        && clock.instant().getEpochSecond() - route.since() + route.ringSeconds() > MAX_RINGING.toSeconds();
  }

  /** Who the call has rung so far, as "Alice (level 1), Bob (level 2)", for the incident. */
  static String rang(Route route, OnCallLookup lookup) {
    List<EscalationLevel> levels = lookup.levels();
    int upTo = route.round() > 0 ? levels.size() - 1 : Math.min(route.level(), levels.size() - 1);
    String names = levels.stream().limit(upTo + 1L)
        .map(level -> who(level) + " (level " + level.level() + ")").collect(Collectors.joining(", "));
    String rounds = route.round() > 0 ? ", " + (route.round() + 1) + " times round" : "";
    return names.isEmpty() ? "the on-call responders" : names + rounds;
  }

  /** Forwarding could not even start: say why, then voicemail if this line has a service key. */
  private String fallBack(Route route, Webhook call, String reason) {
    route.serviceKey().ifPresent(key -> events.notForwarded(key, call, reason));
    // The trigger above already says why; the voicemail folds into its incident (same CallSid).
    return voicemail(route, call, Sentence.FORWARDING_FAILED, Optional.empty());
  }

  private String voicemail(Route route, Webhook call, Sentence explanation, Optional<String> forwarding) {
    Speech speech = route.speech();
    callLog.step(call.sid(), Step.sentToVoicemail(explanation.english() + forwarding.map(f -> " (" + f + ")").orElse("")));
    if (route.serviceKey().isEmpty()) {
      log.severe("Call from " + call.callerForLog() + " reached nobody and has no voicemail to fall back on"
          + " (no valid service_key in the /forward URL)");
      return Twiml.sayAndHangUp(speech, speech.sentence(explanation) + " " + speech.sentence(Sentence.CANNOT_FORWARD));
    }
    String action = Voicemail.recordingAction(route.serviceKey().get(), route.severity(), forwarding,
        route.transcribe(), speech);
    return Twiml.explainThenVoicemail(speech, speech.sentence(explanation),
        Greeting.spoken(route.voicemailGreeting().orElse(speech.sentence(Sentence.GREETING))), action,
        Voicemail.absentCallback(action, call.caller().number()),
        Transcripts.callback(route.serviceKey().get(), route.severity(), route.transcribe()));
  }

  private static String who(EscalationLevel level) {
    return level.responders().stream().map(Responder::name).collect(Collectors.joining(", "));
  }

  /** The parent call, as the responder's leg must carry it: its sid, the caller and the line. */
  private static String parentCallQuery(String call, String caller, String line) {
    return "&call=" + Text.urlEncode(call) + "&caller=" + Text.urlEncode(caller) + "&line=" + Text.urlEncode(line);
  }

  static String spell(String number) {
    return Speech.spell(number);
  }
}
