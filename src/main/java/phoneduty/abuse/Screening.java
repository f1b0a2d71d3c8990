package phoneduty.abuse;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import phoneduty.calllog.CallLog;
import phoneduty.calllog.Kind;
import phoneduty.calllog.PageStatus;
import phoneduty.calllog.Step;
import phoneduty.callback.ResponderDesk;
import phoneduty.twilio.LineQuery;
import phoneduty.twilio.Sentence;
import phoneduty.twilio.Twiml;
import phoneduty.twilio.Webhook;

/**
 * What a call or text meets before its line's flow: the blocklist, the responder menu for a
 * responder ({@link ResponderDesk}), and for a call on a line with {@code gate=true}, the human
 * gate ("To reach the on-call engineer, press 1.", two tries).
 *
 * <p>The gate keeps its state in its own URL parameter, {@value #GATE}, on the URL Twilio calls
 * back (which Twilio signs): {@code true} asks, {@code answer1} and {@code answer2} take the key
 * pressed (or none) after the first and second asking.
 */
public final class Screening {

  public static final String GATE = "gate";
  private static final Logger log = Logger.getLogger(Screening.class.getName());

  private final Blocklist blocklist;
  private final ResponderDesk responders;
  private final CallLog callLog;

  public Screening(Blocklist blocklist, ResponderDesk responders, CallLog callLog) {
    this.blocklist = blocklist;
    this.responders = responders;
    this.callLog = callLog;
  }

  /**
   * The first webhook of a call on a voice endpoint ({@code /call}, {@code /forward}, {@code /menu}).
   *
   * @param rawQuery the request's query as Twilio sent it, to carry the line's settings into the gate's URL
   * @return the TwiML that answers the call instead of the line (a rejection, the gate, a hang-up),
   *     or empty: the line's flow takes the call
   */
  public Optional<String> screenCall(String endpoint, Webhook call, Optional<String> rawQuery) {
    Optional<String> blockedBy = blocklist.entryFor(call.caller().number());
    if (blockedBy.isPresent()) {
      log.info("Rejected call " + call.sidForLog() + " to " + endpoint + ": its number is on BLOCKED_NUMBERS");
      callLog.arrived(call, endpoint, Kind.CALL, PageStatus.NONE, Step.blocked(blockedBy.get()));
      return Optional.of(Twiml.reject());
    }
    // A responder reaches their own menu before any gate (and meets the gate as a caller).
    Optional<String> responderMenu = responders.receive(endpoint, call, rawQuery);
    if (responderMenu.isPresent()) {
      return responderMenu;
    }
    String state = call.get(GATE).orElse("false");
    String action = endpoint + "?" + lineQuery(rawQuery);
    return switch (state) {
      case "false" -> Optional.empty();
      case "answer1", "answer2" -> {
        if (call.get("Digits").filter("1"::equals).isPresent()) {
          callLog.step(call.sid(), Step.gatePassed());
          yield Optional.empty();
        }
        String what = call.get("Digits").isPresent() ? "pressed another key" : "pressed nothing";
        if (state.equals("answer1")) {
          callLog.step(call.sid(), Step.gateAskedAgain(what));
          yield Optional.of(ask(call, action + "answer2"));
        }
        log.info("Call " + call.sidForLog() + " to " + endpoint + " did not pass the human gate; hung up without a page");
        callLog.step(call.sid(), Step.gateFailed(what + " twice"));
        yield Optional.of(Twiml.hangUp());
      }
      default -> {
        // "true", and any other value: whoever set gate= meant a gate.
        callLog.arrived(call, endpoint, Kind.CALL, PageStatus.NONE, Step.gateAsked());
        yield Optional.of(ask(call, action + "answer1"));
      }
    };
  }

  /** A text to {@code /sms}: true when its number is blocked (it gets empty TwiML, and no page). */
  public boolean blocksText(Webhook text) {
    Optional<String> blockedBy = blocklist.entryFor(text.caller().number());
    if (blockedBy.isEmpty()) {
      return false;
    }
    log.info("Dropped text " + text.sidForLog() + ": its number is on BLOCKED_NUMBERS");
    callLog.arrived(text, "/sms", Kind.TEXT, PageStatus.NONE, Step.blocked(blockedBy.get()));
    return true;
  }

  private static String ask(Webhook call, String action) {
    return Twiml.oneKey(call.speech(), List.of(call.speech().sentence(Sentence.GATE)), action);
  }

  /** The line's own settings from the query, ending in {@code gate=}. */
  static String lineQuery(Optional<String> rawQuery) {
    return LineQuery.of(rawQuery, Set.of(GATE, ResponderDesk.PARAM)) + GATE + "=";
  }
}
