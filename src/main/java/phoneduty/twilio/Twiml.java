package phoneduty.twilio;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiML;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.messaging.Message;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Record;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;
import java.io.IOException;
import java.util.Optional;
import javax.servlet.http.HttpServletResponse;

/** Every TwiML document phoneduty answers, built with Twilio's builders (which do the escaping). */
public final class Twiml {

  public static final String DEFAULT_GREETING = "Leave a message to contact the on call staff.";
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

  /**
   * Speaks the greeting and records a message. If nothing is recorded, Twilio goes on past
   * {@code <Record>}; the redirect then reports the missed call to the same action.
   */
  public static String voicemailPrompt(String greeting, String recordingAction) {
    return xml(
        new VoiceResponse.Builder()
            .say(say(greeting))
            .record(
                new Record.Builder()
                    .action(recordingAction)
                    .method(HttpMethod.POST)
                    .maxLength(MAX_RECORDING_SECONDS)
                    .timeout(RECORDING_SILENCE_SECONDS)
                    .finishOnKey("#")
                    .playBeep(true)
                    .build())
            .say(say(NO_RECORDING))
            .redirect(new Redirect.Builder(recordingAction).method(HttpMethod.POST).build())
            .build());
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
    reply
        .filter(text -> !text.isBlank())
        .ifPresent(text -> response.message(new Message.Builder(cut(text, MAX_SMS_CHARS)).build()));
    return xml(response.build());
  }

  /** Writes a TwiML document as the whole response. */
  public static void write(HttpServletResponse response, String twiml) throws IOException {
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType("text/xml; charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write(twiml);
  }

  static String sayAndHangUp(String text) {
    return xml(new VoiceResponse.Builder().say(say(text)).hangup(new Hangup.Builder().build()).build());
  }

  static Say say(String text) {
    return new Say.Builder(cut(text, MAX_SPOKEN_CHARS)).build();
  }

  static String cut(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    int end = maxChars;
    // Never split a surrogate pair.
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  static String xml(TwiML twiml) {
    try {
      return twiml.toXml();
    } catch (TwiMLException e) {
      // Only a broken XML runtime gets here; the builders escape all text.
      throw new IllegalStateException("Could not serialise TwiML", e);
    }
  }
}
