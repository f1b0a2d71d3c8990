package phoneduty.twilio;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiML;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.messaging.Message;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Record;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;
import java.io.IOException;
import java.util.Optional;
import javax.servlet.http.HttpServletResponse;
import phoneduty.text.Text;
import phoneduty.text.XmlSafe;

/**
 * Every TwiML document phoneduty answers, built with Twilio's builders (which do the escaping);
 * every text first loses what XML cannot carry ({@link XmlSafe}).
 */
public final class Twiml {

  public static final String DEFAULT_GREETING = "Leave a message to contact the on call staff.";
  public static final String DEFAULT_FORWARD_GREETING =
      "Please hold while we connect you to the on-call engineer.";
  static final String NO_RECORDING = "I did not receive a recording.";
  static final String MESSAGE_RECEIVED =
      "Thank you. We are now directing your message to the on call staff. Goodbye.";
  static final String NO_MESSAGE =
      "No message was recorded. The on call staff will still see that you called. Goodbye.";
  static final String LINE_MISCONFIGURED =
      "Sorry, this on call line is not configured correctly, so your call cannot be passed on."
          + " Please reach the on call staff another way. Goodbye.";

  static final String TECHNICAL_FAILURE =
      "Sorry, a technical problem keeps this call from reaching the on call staff."
          + " Please call again in a few minutes, or reach them another way. Goodbye.";

  /**
   * Longest text we speak. Twilio's TTS engines stop at 3,000 to 5,000 bytes; 1,000 characters
   * stays inside all of them even in three-byte UTF-8.
   */
  public static final int MAX_SPOKEN_CHARS = 1000;
  /** Twilio refuses message bodies over 1,600 characters. */
  public static final int MAX_SMS_CHARS = 1600;
  /** A voicemail longer than this is cut off; long enough to describe any outage. */
  static final int MAX_RECORDING_SECONDS = 300;
  /** Silence after which Twilio ends the recording. */
  static final int RECORDING_SILENCE_SECONDS = 10;

  private Twiml() {}

  /** Renders a document once, loading the XML machinery before the first caller needs it. */
  public static void warmUp() {
    messageReceived();
  }

  /**
   * Says why, then the voicemail prompt (forwarding's safety net).
   *
   * @param transcribeCallback where Twilio posts the transcript, or empty for no transcription
   */
  public static String explainThenVoicemail(String explanation, String greeting, String recordingAction,
      Optional<String> transcribeCallback) {
    return xml(voicemail(new VoiceResponse.Builder().say(say(explanation)), greeting, recordingAction,
        transcribeCallback).build());
  }

  /**
   * Rings one responder. The whisper URL runs on the responder's leg when they pick up, so only a
   * person pressing 1 is bridged; the Dial action hears how it ended.
   *
   * @param greeting said to the caller first, or null
   */
  public static String ringResponder(String greeting, String number, String callerId, int ringSeconds,
      String dialAction, String whisperUrl) {
    VoiceResponse.Builder response = new VoiceResponse.Builder();
    if (greeting != null) {
      response.say(say(greeting));
    }
    return xml(response
        .dial(new Dial.Builder()
            .action(dialAction)
            .method(HttpMethod.POST)
            .timeout(ringSeconds)
            .callerId(XmlSafe.of(callerId))
            .number(new Number.Builder(XmlSafe.of(number)).url(whisperUrl).method(HttpMethod.POST).build())
            .build())
        .build());
  }

  /**
   * Played to the responder before the caller is connected. Anything but 1, or silence, ends in
   * the hang-up after the gather, so a phone's own voicemail can never accept the call.
   */
  public static String whisper(String prompt, String acceptAction) {
    return xml(new VoiceResponse.Builder()
        .gather(new Gather.Builder()
            .numDigits(1)
            .timeout(8)
            .action(acceptAction)
            .method(HttpMethod.POST)
            .say(say(prompt))
            .say(say(prompt))
            .build())
        .hangup(new Hangup.Builder().build())
        .build());
  }

  /** The responder pressed 1: an empty answer ends their leg's TwiML, which bridges the call. */
  public static String bridge() {
    return xml(new VoiceResponse.Builder().build());
  }

  public static String hangUp() {
    return xml(new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build());
  }

  /**
   * Speaks the greeting and records a message. If nothing is recorded, Twilio goes on past
   * {@code <Record>}; the redirect then reports the missed call to the same action.
   */
  public static String voicemailPrompt(String greeting, String recordingAction, Optional<String> transcribeCallback) {
    return xml(voicemail(new VoiceResponse.Builder(), greeting, recordingAction, transcribeCallback).build());
  }

  private static VoiceResponse.Builder voicemail(
      VoiceResponse.Builder response, String greeting, String recordingAction, Optional<String> transcribeCallback) {
    return response
            .say(say(greeting))
            .record(
                new Record.Builder()
                    .action(recordingAction)
                    .method(HttpMethod.POST)
                    .maxLength(MAX_RECORDING_SECONDS)
                    .timeout(RECORDING_SILENCE_SECONDS)
                    .finishOnKey("#")
                    .playBeep(true)
                    // Null leaves both attributes out: no transcription unless a callback is given.
                    .transcribe(transcribeCallback.map(url -> true).orElse(null))
                    .transcribeCallback(transcribeCallback.orElse(null))
                    .build())
            .say(say(NO_RECORDING))
            .redirect(new Redirect.Builder(recordingAction).method(HttpMethod.POST).build());
  }

  /** An answer Twilio ignores, for callbacks that are not part of a call's flow (a transcript). */
  public static String empty() {
    return xml(new VoiceResponse.Builder().build());
  }

  public static String messageReceived() {
    return sayAndHangUp(MESSAGE_RECEIVED);
  }

  public static String noMessageReceived() {
    return sayAndHangUp(NO_MESSAGE);
  }

  public static String lineMisconfigured() {
    return sayAndHangUp(LINE_MISCONFIGURED);
  }

  /** Said when the app itself failed; the log has the cause. */
  public static String technicalFailure() {
    return sayAndHangUp(TECHNICAL_FAILURE);
  }

  /** The answer to an SMS webhook: nothing, or the configured reply. */
  public static String sms(Optional<String> reply) {
    MessagingResponse.Builder response = new MessagingResponse.Builder();
    reply.map(XmlSafe::of).filter(text -> !text.isBlank())
        .ifPresent(text -> response.message(new Message.Builder(Text.cut(text, MAX_SMS_CHARS)).build()));
    return xml(response.build());
  }

  /** Writes a TwiML document as the whole response. */
  public static void write(HttpServletResponse response, String twiml) throws IOException {
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType("text/xml; charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write(twiml);
  }

  /** Says the text and hangs up. */
  public static String sayAndHangUp(String text) {
    return xml(new VoiceResponse.Builder().say(say(text)).hangup(new Hangup.Builder().build()).build());
  }

  static Say say(String text) {
    return new Say.Builder(Text.cut(XmlSafe.of(text), MAX_SPOKEN_CHARS)).build();
  }

  static String xml(TwiML twiml) {
    return twiml.toXml();
  }
}
