package phoneduty.calllog;

import java.util.Optional;

/**
 * One step of a call's timeline, as the code that takes it names it; {@link CallLog#step} stamps
 * it with the time. Caller-controlled text goes in as it is: the console escapes it.
 *
 * @param name what happened, short ("rang", "accepted", "voicemail left")
 * @param detail the particulars (who, which level, why), may be empty
 * @param link a URL the step produced (a voicemail's short link), if any
 */
public record Step(String name, String detail, Optional<String> link) {

  public Step {
    detail = detail == null ? "" : detail;
    link = link == null ? Optional.empty() : link;
  }

  public static Step of(String name, String detail) {
    return new Step(name, detail, Optional.empty());
  }

  /** The first webhook of a call: how the line takes it. */
  public static Step arrived(String how) {
    return of("call arrived", how);
  }

  public static Step greetingPlayed(String greeting) {
    return of("greeting played", greeting);
  }

  public static Step textReceived(String body, int attachments) {
    return of("text received", (body.isEmpty() ? "(no text)" : body)
        + (attachments == 0 ? "" : " [" + attachments + " attachment" + (attachments == 1 ? "" : "s") + "]"));
  }

  /** Forwarding rang one number: at which escalation level, whose, which number. */
  public static Step rang(int level, String who, String number) {
    return of("rang", "level " + level + ": " + who + " at " + number);
  }

  /** A ring ended without the call being taken (Twilio's DialCallStatus: no-answer, busy, …). */
  public static Step ringEnded(String status) {
    return of("ring ended", status);
  }

  public static Step accepted(String by) {
    return of("accepted", "by " + by);
  }

  public static Step forwardingEnded(String how) {
    return of("forwarding ended", how);
  }

  /** Forwarding could not connect anyone; the caller goes to voicemail (or is told to hang up). */
  public static Step sentToVoicemail(String why) {
    return of("sent to voicemail", why);
  }

  public static Step missed(String why) {
    return of("missed call", why);
  }

  public static Step voicemailLeft(String shortLink, String duration) {
    return new Step("voicemail left", duration, Optional.of(shortLink));
  }

  public static Step voicemailWithoutLink(String why) {
    return of("voicemail left", why);
  }

  /** Twilio's transcript of the voicemail, on its way to the incident. */
  public static Step transcript(String text) {
    return of("transcript", text);
  }

  /** Twilio could not transcribe the voicemail; the incident keeps the recording. */
  public static Step transcriptFailed(String status) {
    return of("no transcript", "Twilio's transcription " + status);
  }

  /** The caller's number is on BLOCKED_NUMBERS: rejected (a call) or dropped (a text), not paged. */
  public static Step blocked(String entry) {
    return of("blocked", "the number matches " + entry + " on BLOCKED_NUMBERS; not paged");
  }

  public static Step gateAsked() {
    return of("human gate", "asked to press 1");
  }

  public static Step gateAskedAgain(String what) {
    return of("human gate", "the caller " + what + "; asked again");
  }

  public static Step gatePassed() {
    return of("human gate passed", "pressed 1");
  }

  public static Step gateFailed(String what) {
    return of("human gate failed", "the caller " + what + "; hung up without a page");
  }

  /** The contact's page joins an earlier incident (a repeat within the window, or a flood). */
  public static Step joined(String incident, String why) {
    return of("joined incident", why + ": " + incident);
  }

  /** A responder called the line and got their menu (or was asked for the PIN first). */
  public static Step responderMenu(String who, String how) {
    return of("responder menu", who + ": " + how);
  }

  /** A responder called a contact back from the line's own number. */
  public static Step calledBack(String number, String contactSid) {
    return of("called back", number + " (" + contactSid + ") from the line's number");
  }

  /** The line's URL is not usable, so nobody could be paged. */
  public static Step misconfigured(String problem) {
    return of("line misconfigured", problem);
  }
}
