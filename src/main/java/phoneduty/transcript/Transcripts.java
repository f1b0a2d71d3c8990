package phoneduty.transcript;

import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;
import phoneduty.abuse.Folding;
import phoneduty.calllog.CallLog;
import phoneduty.calllog.Step;
import phoneduty.delivery.EventQueue;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.pagerduty.Severity;
import phoneduty.text.LogSafe;
import phoneduty.text.Text;
import phoneduty.twilio.Twiml;
import phoneduty.twilio.Webhook;

/**
 * {@code /transcription}: Twilio's transcript of a voicemail, posted some time after the recording,
 * goes into the incident the voicemail opened (dedup key: the CallSid). With a REST API token and a
 * note author it is queued as an incident note ({@link NoteQueue}); otherwise as a follow-up
 * trigger with the same dedup key, which PagerDuty adds to the alert's log.
 *
 * <p>The answer is always empty TwiML at once: Twilio ignores it, and the page went out with the
 * recording already. A failed transcription (Twilio transcribes only English recordings of 2 to 120
 * seconds) is logged and changes nothing.
 *
 * @param notes present when transcripts go as notes
 */
public record Transcripts(EventQueue events, Optional<NoteQueue> notes, CallLog callLog, Folding folding,
    Clock clock) {

  public static final String CALLBACK_PATH = "/transcription";
  /** The incident's {@code transcript} detail when one was asked for. */
  public static final String TO_FOLLOW =
      "requested from Twilio; it follows in this incident when ready (English recordings of 2 to 120 s only)";
  /**
   * Twilio's transcript of two minutes is a few thousand characters; the cap keeps a forged one
   * inside a task's 100 KB together with its fallback event, even in three-byte UTF-8.
   */
  static final int MAX_TRANSCRIPT_CHARS = 10_000;
  static final String NOTE_HEADING = "Voicemail transcript (by Twilio):\n";
  private static final Logger log = Logger.getLogger(Transcripts.class.getName());

  /** The {@code transcribeCallback} of a voicemail, or empty when the line does not transcribe. */
  public static Optional<String> callback(RoutingKey key, Optional<Severity> severity, boolean transcribe) {
    if (!transcribe) {
      return Optional.empty();
    }
    return Optional.of(CALLBACK_PATH + "?service_key=" + key.value()
        + severity.map(s -> "&severity=" + s.json()).orElse(""));
  }

  /** Queues the transcript for its incident, or logs why not. */
  public String received(Webhook call) {
    Optional<RoutingKey> key = call.serviceKey().key();
    Optional<String> status = call.get("TranscriptionStatus");
    if (key.isEmpty()) {
      log.severe("Transcript of call " + call.sidForLog() + " cannot reach an incident: "
          + call.serviceKey().problem() + " in the transcribe callback URL");
      return Twiml.empty();
    }
    if (status.filter("completed"::equals).isEmpty()) {
      // Twilio fails recordings under 2 s or over 120 s, and speech it cannot make out.
      log.warning("Twilio's transcription of call " + call.sidForLog() + " "
          + status.map(s -> "ended " + LogSafe.of(s)).orElse("sent no status")
          + "; its incident keeps the recording without a transcript");
      callLog.step(call.sid(), Step.transcriptFailed(LogSafe.of(status.orElse("sent no status"), 40)));
      return Twiml.empty();
    }
    Optional<String> text = call.get("TranscriptionText");
    if (call.sid().isEmpty() || text.isEmpty()) {
      log.warning("Transcript of call " + call.sidForLog() + " has " + (text.isEmpty() ? "no text" : "no CallSid")
          + "; nothing to add to an incident");
      return Twiml.empty();
    }
    String transcript = Text.cutWithEllipsis(text.get(), MAX_TRANSCRIPT_CHARS);
    // A repeat's or a flood's voicemail joined another incident: its transcript goes there too.
    String callSid = call.sid().get();
    String incident = folding.incidentOf(callSid).orElse(callSid);
    PagerDutyEvent followUp = call.trigger(key.get(), incident, "voicemail", "phone call", clock.instant())
        .summary("Transcript of the voicemail from " + call.caller().describe() + ": " + transcript)
        .detail("transcript", transcript)
        .detail("call_sid", call.sid().get())
        .detail("recording_sid", call.get("RecordingSid").orElse(null))
        .detail("transcription_sid", call.get("TranscriptionSid").orElse(null))
        .build();
    callLog.step(call.sid().get(), Step.transcript(transcript));
    if (notes.isPresent()) {
      notes.get().enqueue(QueuedNote.newCopy(followUp.dedupKey(), NOTE_HEADING + transcript, clock.instant(), followUp));
    } else {
      events.enqueue(incident.equals(callSid) ? NoteTask.FALLBACK_PURPOSE : NoteTask.FALLBACK_PURPOSE + "-" + callSid,
          followUp);
    }
    return Twiml.empty();
  }
}
