package phoneduty.voicemail;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import phoneduty.calllog.CallLog;
import phoneduty.calllog.Kind;
import phoneduty.calllog.PageStatus;
import phoneduty.calllog.Step;
import phoneduty.delivery.EventQueue;
import phoneduty.pagerduty.TriggerEvent;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.pagerduty.Severity;
import phoneduty.shortlink.ShortLink;
import phoneduty.shortlink.ShortLinks;
import phoneduty.text.LogSafe;
import phoneduty.text.Text;
import phoneduty.transcript.Transcripts;
import phoneduty.twilio.Greeting;
import phoneduty.twilio.Sentence;
import phoneduty.twilio.Speech;
import phoneduty.twilio.TwilioRecording;
import phoneduty.twilio.Twiml;
import phoneduty.twilio.Webhook;

/**
 * The voicemail line: greet, record, and page the on-call staff with the caller's number and a
 * short link to the recording.
 *
 * <p>A caller who hangs up at the beep or stays silent still pages, as a missed call with their
 * number: somebody tried to reach the on-call staff, and a callback number is worth more than
 * nothing. Twilio skips the recording action after an empty recording: a silent caller goes on to
 * our redirect after {@code <Record>}, which arrives without a recording; for a caller who hung
 * up, Twilio's recording status callback for an absent recording ({@link #recordingAbsent}) is the
 * only word. Both page under the call's one task name, so a call pages once.
 */
public record Voicemail(EventQueue events, ShortLinks shortLinks, CallLog callLog, Clock clock) {

  public static final String RECORDING_PATH = "/record";
  public static final String RECORDING_ABSENT_PATH = "/recording-absent";
  private static final Logger log = Logger.getLogger(Voicemail.class.getName());

  /** {@code /call}: the greeting and the recording. */
  public String answerCall(Webhook call) {
    Optional<RoutingKey> key = call.serviceKey().key();
    if (key.isEmpty()) {
      log.severe("/call from " + call.callerForLog() + " cannot page anyone: " + call.serviceKey().problem()
          + " in the Twilio number's voice URL");
      callLog.arrived(call, "/call", Kind.CALL, PageStatus.NONE, Step.misconfigured(call.serviceKey().problem()));
      return Twiml.lineMisconfigured(call.speech());
    }
    Greeting greeting = Greeting.of(call.parameters(), call.speech().sentence(Sentence.GREETING));
    callLog.arrived(call, "/call", Kind.CALL, PageStatus.NONE,
        Step.greetingPlayed(greeting.audio().map(audio -> "recording " + audio).orElse(greeting.text())));
    boolean transcribe = transcribe(call);
    String action = recordingAction(key.get(), call.severity(), Optional.empty(), transcribe, call.speech());
    return Twiml.voicemailPrompt(call.speech(), greeting, action, absentCallback(action, call.caller().number()),
        Transcripts.callback(key.get(), call.severity(), transcribe));
  }

  /** The line's {@code transcribe=true}: record with Twilio's transcription. */
  public static boolean transcribe(Webhook call) {
    return call.get("transcribe").map("true"::equals).orElse(false);
  }

  /**
   * The relative URL of the recording action, carrying what the incident needs.
   *
   * @param forwarding what forwarding did first ("rang Alice (level 1); nobody accepted"), for the incident
   * @param transcribe whether a transcript is to follow, which the incident then says
   * @param speech how the line speaks, for the thank-you
   */
  public static String recordingAction(RoutingKey key, Optional<Severity> severity, Optional<String> forwarding,
      boolean transcribe, Speech speech) {
    return RECORDING_PATH + "?service_key=" + key.value() + severity.map(s -> "&severity=" + s.json()).orElse("")
        + forwarding.map(text -> "&forwarding=" + Text.urlEncode(Text.cutWithEllipsis(text, MAX_FORWARDING_CHARS)))
            .orElse("")
        + (transcribe ? "&transcribe=true" : "")
        + speech.query();
  }

  /**
   * The relative URL of the recording status callback for an absent recording: the action's line
   * settings, and the caller, whom Twilio's recording status callback does not name.
   *
   * @param recordingAction from {@link #recordingAction}
   */
  public static String absentCallback(String recordingAction, Optional<String> caller) {
    return RECORDING_ABSENT_PATH + recordingAction.substring(RECORDING_PATH.length())
        + caller.map(number -> "&caller=" + Text.urlEncode(number)).orElse("");
  }

  /** Keeps the recording action's URL well inside what Twilio takes. */
  static final int MAX_FORWARDING_CHARS = 300;

  /**
   * {@code /recording-absent}: Twilio's recording status callback for a recording it did not keep,
   * too short (the caller hung up at the beep) or silent. Pages a missed call; Twilio ignores the
   * answer.
   */
  public String recordingAbsent(Webhook callback) {
    Optional<RoutingKey> key = callback.serviceKey().key();
    if (key.isEmpty() || callback.sid().isEmpty()) {
      log.severe("Absent recording of call " + callback.sidForLog() + " cannot be paged: "
          + (key.isEmpty() ? callback.serviceKey().problem() : "no CallSid"));
      return Twiml.empty();
    }
    String callSid = callback.sid().get();
    Optional<String> caller = callback.get("caller");
    TriggerEvent trigger = callback.trigger(key.get(), callSid, "voicemail", "phone call", clock.instant())
        .detail("from", caller.orElse(null))
        .detail("call_sid", callSid)
        .detail("forwarding", callback.get("forwarding").orElse(null))
        .detail("twilio_recording_error", callback.get("ErrorCode").orElse(null));
    log.info("Call " + callback.sidForLog() + " left no recording (Twilio: " + LogSafe.of(callback.getOrDefault(
        "RecordingStatus", "?")) + ", error " + LogSafe.of(callback.getOrDefault("ErrorCode", "none")) + ")");
    events.enqueueFoldable("voicemail", missedCall(trigger, caller.orElse("an unknown number")).build(), List.of());
    return Twiml.empty();
  }

  private static TriggerEvent missedCall(TriggerEvent trigger, String caller) {
    return trigger
        .summary("Missed call from " + caller + ": hung up without leaving a message")
        .detail("message", "none: the caller hung up or stayed silent");
  }

  /** {@code /record}: Twilio's report of the recording; opens the incident. */
  public String recordingDone(Webhook call, String publicBaseUrl) {
    Optional<RoutingKey> key = call.serviceKey().key();
    Optional<String> recordingUrl = recordingUrl(call);
    Optional<URI> audio = recordingUrl.flatMap(TwilioRecording::audio);
    if (key.isEmpty()) {
      // Cannot page: log what an operator needs to fetch the message by hand.
      log.severe("Voicemail from " + call.callerForLog() + " cannot be paged: " + call.serviceKey().problem()
          + "; recording: " + LogSafe.of(recordingUrl.orElse("(none)")));
      callLog.step(call.sid(), Step.misconfigured(call.serviceKey().problem() + "; the message could not be paged"));
      return Twiml.lineMisconfigured(call.speech());
    }
    String callSid = call.sid().orElseGet(() -> {
      String made = "nosid-" + UUID.randomUUID();
      log.warning("Recording action without CallSid; using dedup key " + made);
      return made;
    });
    TriggerEvent trigger = call.trigger(key.get(), callSid, "voicemail", "phone call", clock.instant())
        .detail("call_sid", callSid)
        .detail("forwarding", call.get("forwarding").orElse(null))
        .detail("transcript", recordingUrl.isPresent() && transcribe(call) ? Transcripts.TO_FOLLOW : null);
    if (recordingUrl.isEmpty()) {
      events.enqueueFoldable("voicemail", missedCall(trigger, call.caller().describe()).build(), List.of());
      return Twiml.noMessageReceived(call.speech());
    }
    String duration = call.get("RecordingDuration").map(s -> " (" + s + " s)").orElse("");
    trigger
        .detail("recording_duration_seconds", call.get("RecordingDuration").orElse(null))
        .detail("recording_sid", call.get("RecordingSid").orElse(null))
        .detail("ended_by", call.get("Digits").orElse(null));
    if (audio.isEmpty()) {
      log.warning("Voicemail " + call.sidForLog() + " pages without a link: its RecordingUrl "
          + LogSafe.of(recordingUrl.get()) + " is not a recording of a Twilio account");
      trigger
          .summary("Voicemail from " + call.caller().describe() + duration
              + "; no link: the recording URL was not a Twilio recording")
          .detail("recording", "withheld: not a Twilio recording URL");
      events.enqueueFoldable("voicemail", trigger.build(), List.of());
      return Twiml.messageReceived(call.speech());
    }
    // Stored by the delivery task before the page goes out, so this answer does not wait on Datastore.
    ShortLink shortLink = shortLinks.reserve(audio.get(), publicBaseUrl);
    String link = shortLink.url();
    trigger
        .summary("Voicemail from " + call.caller().describe() + ": " + link + duration)
        .detail("recording", link)
        .detail("recording_url", audio.get().toString())
        .link(link, "Voicemail recording" + duration);
    events.enqueueFoldable("voicemail", trigger.build(), List.of(shortLink));
    return Twiml.messageReceived(call.speech());
  }

  /** The recording Twilio reports, unless there is none or it is empty (zero seconds). */
  private static Optional<String> recordingUrl(Webhook call) {
    if (call.get("RecordingDuration").filter(d -> d.equals("0")).isPresent()) {
      return Optional.empty();
    }
    return call.get("RecordingUrl");
  }
}
