package phoneduty.twilio;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.TwiML;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Play;
import com.twilio.twiml.voice.Record;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Reject;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import javax.servlet.http.HttpServletResponse;
import phoneduty.text.Text;
import phoneduty.text.XmlSafe;

/**
 * Every TwiML document phoneduty answers, built with Twilio's builders (which do the escaping);
 * every text first loses what XML cannot carry ({@link XmlSafe}). Everything is said in the
 * line's {@link Speech}; a greeting may be a recording ({@link Greeting}).
 */
public final class Twiml {

  public static final String DEFAULT_GREETING = Sentence.GREETING.english();
  public static final String DEFAULT_FORWARD_GREETING = Sentence.FORWARD_GREETING.english();
  static final String NO_RECORDING = Sentence.NO_RECORDING.english();
  static final String MESSAGE_RECEIVED = Sentence.MESSAGE_RECEIVED.english();
  static final String NO_MESSAGE = Sentence.NO_MESSAGE.english();
  static final String LINE_MISCONFIGURED = Sentence.LINE_MISCONFIGURED.english();
  static final String TECHNICAL_FAILURE = Sentence.TECHNICAL_FAILURE.english();

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
    messageReceived(Speech.DEFAULT);
  }

  /**
   * Says why, then the voicemail prompt (forwarding's safety net).
   *
   * @param transcribeCallback where Twilio posts the transcript, or empty for no transcription
   */
  public static String explainThenVoicemail(Speech speech, String explanation, Greeting greeting,
      String recordingAction, String absentCallback, Optional<String> transcribeCallback) {
    return xml(voicemail(new VoiceResponse.Builder().say(speech.say(explanation)), speech, greeting, recordingAction,
        absentCallback, transcribeCallback).build());
  }

  /**
   * Rings one responder. The whisper URL runs on the responder's leg when they pick up, so only a
   * person pressing 1 is bridged; the Dial action hears how it ended.
   *
   * @param greeting said to the caller first, or null
   */
  public static String ringResponder(Speech speech, Greeting greeting, String number, String callerId,
      int ringSeconds, String dialAction, String whisperUrl) {
    VoiceResponse.Builder response = new VoiceResponse.Builder();
    if (greeting != null) {
      greeting.addTo(response, speech);
    }
    return xml(response
        .dial(new Dial.Builder()
            .action(dialAction)
            .method(HttpMethod.POST)
            .timeout(ringSeconds)
            .callerId(XmlSafe.of(callerId))
            .number(dialled(number).url(whisperUrl).method(HttpMethod.POST).build())
            .build())
        .build());
  }

  /**
   * A number to dial, with its extension ({@code +14155550100,,42}: PagerDuty's commas are
   * one-second pauses) sent as keys once the line answers; Twilio's {@code w} is half a second.
   */
  private static Number.Builder dialled(String number) {
    int comma = number.indexOf(',');
    Number.Builder dial = new Number.Builder(XmlSafe.of(comma < 0 ? number : number.substring(0, comma)));
    return comma < 0 ? dial : dial.sendDigits(number.substring(comma).replace(",", "ww"));
  }

  /**
   * Played to the responder before the caller is connected. Anything but 1, or silence, ends in
   * the hang-up after the gather, so a phone's own voicemail can never accept the call.
   */
  public static String whisper(Speech speech, String prompt, String acceptAction) {
    return xml(new VoiceResponse.Builder()
        .gather(new Gather.Builder()
            .numDigits(1)
            .timeout(8)
            .action(acceptAction)
            .method(HttpMethod.POST)
            .say(speech.say(prompt))
            .say(speech.say(prompt))
            .build())
        .hangup(new Hangup.Builder().build())
        .build());
  }

  /** The responder pressed 1: an empty answer ends their leg's TwiML, which bridges the call. */
  public static String bridge() {
    return xml(new VoiceResponse.Builder().build());
  }

  /** A call from a blocked number: refused before it is answered, so Twilio does not bill it. */
  public static String reject() {
    return xml(new VoiceResponse.Builder().reject(new Reject.Builder().reason(Reject.Reason.REJECTED).build()).build());
  }

  /**
   * Says the sentences and waits for one key (the human gate, the responder menu); the key, or
   * silence through the redirect after the gather, goes to {@code action}.
   */
  public static String oneKey(Speech speech, List<String> sentences, String action) {
    return xml(gatherThenRedirect(speech, sentences, new Gather.Builder().numDigits(1), action));
  }

  /** Asks for a number of digits (a PIN), ended by {@code #}; what was entered, or nothing, goes to {@code action}. */
  public static String askDigits(Speech speech, String prompt, int digits, String action) {
    return xml(gatherThenRedirect(speech, List.of(prompt), new Gather.Builder().numDigits(digits).finishOnKey("#"),
        action));
  }

  private static VoiceResponse gatherThenRedirect(Speech speech, List<String> sentences, Gather.Builder gather,
      String action) {
    gather.timeout(MENU_TIMEOUT_SECONDS).action(action).method(HttpMethod.POST);
    sentences.forEach(sentence -> gather.say(speech.say(sentence)));
    return new VoiceResponse.Builder()
        .gather(gather.build())
        .redirect(new Redirect.Builder(action).method(HttpMethod.POST).build())
        .build();
  }

  /** Calls a line's contact back with the line's own number as caller ID. */
  public static String callBack(String lineNumber, String contact) {
    return xml(new VoiceResponse.Builder()
        .dial(new Dial.Builder().callerId(lineNumber).number(new Number.Builder(contact).build()).build())
        .build());
  }

  /** Plays a recording (a short link), then goes on to {@code then}. */
  public static String playThenRedirect(String url, String then) {
    return xml(new VoiceResponse.Builder()
        .play(new Play.Builder(url).build())
        .redirect(new Redirect.Builder(then).method(HttpMethod.POST).build())
        .build());
  }

  /** Says a sentence, then goes on to {@code then}. */
  public static String sayThenRedirect(Speech speech, String text, String then) {
    return xml(new VoiceResponse.Builder()
        .say(speech.say(text))
        .redirect(new Redirect.Builder(then).method(HttpMethod.POST).build())
        .build());
  }

  public static String hangUp() {
    return xml(new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build());
  }

  /**
   * Speaks the greeting and records a message. If nothing is recorded, Twilio goes on past
   * {@code <Record>} (the redirect then reports the missed call to the same action), or, when the
   * caller hung up, only tells the absent-recording callback.
   *
   * @param absentCallback where Twilio reports a recording it did not keep (too short or silent)
   */
  public static String voicemailPrompt(Speech speech, Greeting greeting, String recordingAction,
      String absentCallback, Optional<String> transcribeCallback) {
    return xml(voicemail(new VoiceResponse.Builder(), speech, greeting, recordingAction, absentCallback,
        transcribeCallback).build());
  }

  private static VoiceResponse.Builder voicemail(VoiceResponse.Builder response, Speech speech, Greeting greeting,
      String recordingAction, String absentCallback, Optional<String> transcribeCallback) {
    return greeting.addTo(response, speech)
            .record(
                new Record.Builder()
                    .action(recordingAction)
                    .method(HttpMethod.POST)
                    .maxLength(MAX_RECORDING_SECONDS)
                    .timeout(RECORDING_SILENCE_SECONDS)
                    .finishOnKey("#")
                    .playBeep(true)
                    .recordingStatusCallback(absentCallback)
                    .recordingStatusCallbackMethod(HttpMethod.POST)
                    .recordingStatusCallbackEvents(Record.RecordingEvent.ABSENT)
                    // Null leaves both attributes out: no transcription unless a callback is given.
                    .transcribe(transcribeCallback.map(url -> true).orElse(null))
                    .transcribeCallback(transcribeCallback.orElse(null))
                    .build())
            .say(speech.say(speech.sentence(Sentence.NO_RECORDING)))
            .redirect(new Redirect.Builder(recordingAction).method(HttpMethod.POST).build());
  }

  /** An answer Twilio ignores, for callbacks that are not part of a call's flow (a transcript). */
  public static String empty() {
    return xml(new VoiceResponse.Builder().build());
  }

  public static String messageReceived(Speech speech) {
    return sayAndHangUp(speech, speech.sentence(Sentence.MESSAGE_RECEIVED));
  }

  public static String noMessageReceived(Speech speech) {
    return sayAndHangUp(speech, speech.sentence(Sentence.NO_MESSAGE));
  }

  public static String lineMisconfigured(Speech speech) {
    return sayAndHangUp(speech, speech.sentence(Sentence.LINE_MISCONFIGURED));
  }

  /** Said when the app itself failed; the log has the cause. */
  public static String technicalFailure(Speech speech) {
    return sayAndHangUp(speech, speech.sentence(Sentence.TECHNICAL_FAILURE));
  }

  /** Writes a TwiML document as the whole response. */
  public static void write(HttpServletResponse response, String twiml) throws IOException {
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType("text/xml; charset=UTF-8");
    response.setHeader("Cache-Control", "no-store");
    response.getWriter().write(twiml);
  }

  /** Says the text and hangs up. */
  public static String sayAndHangUp(Speech speech, String text) {
    return xml(new VoiceResponse.Builder().say(speech.say(text)).hangup(new Hangup.Builder().build()).build());
  }

  /**
   * A menu: the preface (e.g. "That is not an option."), the greeting, then each option's
   * sentence, waiting for one key (or, with speech, a label); what the caller chose goes to
   * {@code choiceAction}, and so does silence, through the redirect after the gather.
   *
   * @param hints the options' labels, for speech recognition; empty for keys only
   */
  public static String menu(Speech speech, Optional<String> preface, Optional<Greeting> greeting,
      List<String> optionSentences, String choiceAction, List<String> hints) {
    Gather.Builder gather = new Gather.Builder()
        .numDigits(1)
        .timeout(MENU_TIMEOUT_SECONDS)
        .action(choiceAction)
        .method(HttpMethod.POST);
    if (!hints.isEmpty()) {
      gather.inputs(List.of(Gather.Input.DTMF, Gather.Input.SPEECH))
          .hints(Text.cut(XmlSafe.of(String.join(", ", hints)), MAX_HINTS_CHARS));
    }
    preface.ifPresent(text -> gather.say(speech.say(text)));
    greeting.ifPresent(g -> g.addTo(gather, speech));
    optionSentences.forEach(sentence -> gather.say(speech.say(sentence)));
    return xml(new VoiceResponse.Builder()
        .gather(gather.build())
        .redirect(new Redirect.Builder(choiceAction).method(HttpMethod.POST).build())
        .build());
  }

  /** Sends the call on to another of phoneduty's webhooks, which answers it as its own. */
  public static String redirect(String path) {
    return xml(new VoiceResponse.Builder().redirect(new Redirect.Builder(path).method(HttpMethod.POST).build()).build());
  }

  /** How long a menu waits for a key after the last option is said. */
  static final int MENU_TIMEOUT_SECONDS = 5;
  /** Twilio's hints attribute takes up to 500 entries; the labels of nine options are far fewer. */
  static final int MAX_HINTS_CHARS = 1000;

  static String xml(TwiML twiml) {
    return twiml.toXml();
  }
}
