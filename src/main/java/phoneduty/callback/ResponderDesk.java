package phoneduty.callback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import phoneduty.calllog.CallEntry;
import phoneduty.calllog.CallLog;
import phoneduty.calllog.CallLogReader;
import phoneduty.calllog.Kind;
import phoneduty.calllog.PageStatus;
import phoneduty.calllog.Step;
import phoneduty.calllog.TimelineEntry;
import phoneduty.delivery.EventQueue;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.twilio.LineQuery;
import phoneduty.twilio.Sentence;
import phoneduty.twilio.Speech;
import phoneduty.twilio.Twiml;
import phoneduty.twilio.Webhook;

/**
 * The responder menu: a responder who calls the line hears who called it last and can call them
 * back from the line's own number, hear their voicemail, step to the caller before, or go on as
 * a caller.
 *
 * <p>The menu reveals callers' numbers and voicemails, and caller ID can be forged, so a
 * responder's number is not enough: the carrier must have attested it at level A ({@code
 * StirVerstat}), or the caller must enter {@code RESPONDER_PIN}. Only a number that called or
 * texted this line (its own Twilio number) in the last 24 hours can be called back, chosen from
 * the call log by the menu, never typed in.
 *
 * <p>State rides in the {@value #PARAM} parameter of the URLs Twilio calls back (signed by
 * Twilio): {@code pin}, {@code menu} and {@code choice} with the contact shown ({@code at},
 * {@code contact}), and {@code caller} once the responder chose to go on as a caller.
 */
public final class ResponderDesk {

  public static final String PARAM = "responder";
  static final Duration CONTACT_WINDOW = Duration.ofHours(24);
  static final int MAX_CONTACTS = 20;
  /** Silent menus after which the line hangs up (a pocket dial). */
  static final int MAX_SILENT_ROUNDS = 3;
  private static final Logger log = Logger.getLogger(ResponderDesk.class.getName());

  private final Responders responders;
  private final CallLogReader reader;
  private final CallLog callLog;
  private final EventQueue events;
  private final Optional<String> pin;
  private final Clock clock;

  public ResponderDesk(Responders responders, CallLogReader reader, CallLog callLog, EventQueue events,
      Optional<String> pin, Clock clock) {
    this.responders = responders;
    this.reader = reader;
    this.callLog = callLog;
    this.events = events;
    this.pin = pin;
    this.clock = clock;
  }

  /**
   * The responder menu's answer to this webhook of a voice endpoint, or empty: the call is not a
   * verified responder's (or they chose to go on as a caller), and the line takes it.
   */
  public Optional<String> receive(String endpoint, Webhook call, Optional<String> rawQuery) {
    String state = call.get(PARAM).orElse("");
    if (state.equals("caller")) {
      return Optional.empty();
    }
    if (state.isEmpty() && pin.isEmpty() && !Responders.attested(call)) {
      // Nobody could pass: spare the roster read that recognising a responder may take.
      return Optional.empty();
    }
    Optional<Responders.Known> responder = responders.recognise(call);
    if (responder.isEmpty() || call.line().isEmpty()) {
      return Optional.empty();
    }
    String base = endpoint + "?" + LineQuery.of(rawQuery, Set.of(PARAM, "at", "contact", "round")) + PARAM + "=";
    return switch (state) {
      case "" -> arrived(endpoint, call, responder.get(), base);
      case "pin" -> pinEntered(call, responder.get(), base);
      case "menu" -> Optional.of(menu(call, responder.get(), base, index(call, "at"), index(call, "round")));
      case "choice" -> Optional.of(choice(call, responder.get(), base));
      default -> Optional.empty();
    };
  }

  private Optional<String> arrived(String endpoint, Webhook call, Responders.Known responder, String base) {
    if (Responders.attested(call)) {
      callLog.arrived(call, endpoint, Kind.CALL, PageStatus.NONE, Step.responderMenu(responder.name(), "caller ID attested"));
      return Optional.of(menu(call, responder, base, 0, 0));
    }
    if (pin.isEmpty()) {
      log.info("Call " + call.sidForLog() + " from a responder's number without an attested caller ID and no"
          + " RESPONDER_PIN set: taken as a caller's");
      return Optional.empty();
    }
    callLog.arrived(call, endpoint, Kind.CALL, PageStatus.NONE, Step.responderMenu(responder.name(), "asked for the PIN"));
    return Optional.of(Twiml.askDigits(call.speech(), call.speech().sentence(Sentence.RESPONDER_PIN),
        pin.get().length(), base + "pin"));
  }

  private Optional<String> pinEntered(Webhook call, Responders.Known responder, String base) {
    byte[] entered = call.get("Digits").orElse("").getBytes(StandardCharsets.UTF_8);
    if (pin.isPresent() && MessageDigest.isEqual(entered, pin.get().getBytes(StandardCharsets.UTF_8))) {
      callLog.step(call.sid(), Step.of("PIN accepted", ""));
      return Optional.of(menu(call, responder, base, 0, 0));
    }
    log.warning("Call " + call.sidForLog() + " entered a wrong RESPONDER_PIN; taken as a caller's");
    callLog.step(call.sid(), Step.of("PIN refused", "taken as a caller's call"));
    return Optional.empty();
  }

  /** The contacts a responder may return: this line's callers and texters of the last 24 hours, newest first. */
  private List<CallEntry> contacts(Webhook call, Responders.Known responder) {
    return contacts(reader, call.line().orElseThrow(), responder, clock.instant());
  }

  /** The line's contacts a responder may call or text back, newest first (never the responder's own calls). */
  static List<CallEntry> contacts(CallLogReader reader, String hotline, Responders.Known responder, Instant now) {
    return reader.recentContacts(hotline, now.minus(CONTACT_WINDOW), MAX_CONTACTS).stream()
        .filter(entry -> entry.kind() != Kind.TEST && entry.from().startsWith("+"))
        .filter(entry -> !entry.from().equals(responder.number()))
        .toList();
  }

  private String menu(Webhook call, Responders.Known responder, String base, int at, int round) {
    return menu(call, contacts(call, responder), base, at, round);
  }

  private String menu(Webhook call, List<CallEntry> contacts, String base, int at, int round) {
    Speech speech = call.speech();
    if (round >= MAX_SILENT_ROUNDS) {
      return Twiml.hangUp();
    }
    if (contacts.isEmpty()) {
      return Twiml.oneKey(speech, List.of(speech.sentence(Sentence.RESPONDER_NONE),
          speech.sentence(Sentence.RESPONDER_CONTINUE)), base + "choice&at=0&round=" + round);
    }
    int shown = Math.min(at, contacts.size() - 1);
    CallEntry contact = contacts.get(shown);
    long minutes = Math.max(0, Duration.between(contact.startedAt(), clock.instant()).toMinutes());
    String who = speech.sentence(shown == 0 ? Sentence.RESPONDER_LAST : Sentence.RESPONDER_BEFORE,
        Speech.spell(contact.from()), minutes);
    List<String> sentences = shown == 0
        ? List.of(speech.sentence(Sentence.RESPONDER_HELLO), who, speech.sentence(Sentence.RESPONDER_OPTIONS))
        : List.of(who, speech.sentence(Sentence.RESPONDER_OPTIONS));
    return Twiml.oneKey(speech, sentences,
        base + "choice&at=" + shown + "&contact=" + contact.sid() + "&round=" + round);
  }

  private String choice(Webhook call, Responders.Known responder, String base) {
    int at = index(call, "at");
    int round = index(call, "round");
    Optional<String> digits = call.get("Digits");
    if (digits.filter("9"::equals).isPresent()) {
      callLog.step(call.sid(), Step.of("went on as a caller", ""));
      return Twiml.redirect(base + "caller");
    }
    List<CallEntry> contacts = contacts(call, responder);
    Optional<CallEntry> contact = call.get("contact")
        .flatMap(sid -> contacts.stream().filter(entry -> entry.sid().equals(sid)).findFirst());
    if (digits.isEmpty() || contact.isEmpty()) {
      return menu(call, contacts, base, at, round + (digits.isEmpty() ? 1 : 0));
    }
    Speech speech = call.speech();
    return switch (digits.get()) {
      case "1" -> callBack(call, responder, contact.get());
      case "2" -> voicemailOf(contact.get())
          .map(link -> {
            callLog.step(call.sid(), Step.of("played voicemail", "of " + contact.get().sid()));
            return Twiml.playThenRedirect(link, base + "menu&at=" + at + "&round=0");
          })
          .orElseGet(() -> Twiml.sayThenRedirect(speech, speech.sentence(Sentence.RESPONDER_NO_VOICEMAIL),
              base + "menu&at=" + at + "&round=0"));
      case "3" -> at + 1 < contacts.size()
          ? menu(call, contacts, base, at + 1, 0)
          : Twiml.sayThenRedirect(speech, speech.sentence(Sentence.RESPONDER_NO_EARLIER), base + "menu&at=" + at + "&round=0");
      default -> menu(call, contacts, base, at, round);
    };
  }

  /** Dials the contact with the line's own number as caller ID; logs it and tells the line's service. */
  private String callBack(Webhook call, Responders.Known responder, CallEntry contact) {
    String hotline = call.line().orElseThrow();
    if (!reader.wasTo(contact.sid(), hotline)) {
      // The list came from this line's calls; this is the last check before a number is dialled.
      return Twiml.hangUp();
    }
    log.info("Responder call " + call.sidForLog() + " calls back contact " + contact.sid() + " from the line");
    callLog.step(call.sid(), Step.calledBack(contact.from(), contact.sid()));
    Optional<RoutingKey> key = call.serviceKey().key();
    if (key.isPresent() && call.sid().isPresent()) {
      events.enqueue("callback", PagerDutyEvent.change(key.get(), call.sid().get() + "-callback-" + contact.sid())
          .summary(responder.name() + " called back " + contact.from() + " from the on-call line")
          .source(call.source())
          .at(clock.instant())
          .detail("responder", responder.name())
          .detail("called", contact.from())
          .detail("contact_sid", contact.sid())
          .detail("call_sid", call.sid().get())
          .build());
    }
    return Twiml.callBack(hotline, contact.from());
  }

  /** The short link of the contact's voicemail (served through {@code /r/}), if they left one. */
  private Optional<String> voicemailOf(CallEntry contact) {
    return reader.timeline(contact.sid()).stream().map(TimelineEntry::step)
        .filter(step -> step.name().equals("voicemail left"))
        .flatMap(step -> step.link().stream())
        .findFirst();
  }

  private static int index(Webhook call, String name) {
    return call.get(name).filter(v -> v.matches("[0-9]{1,2}")).map(Integer::parseInt).orElse(0);
  }
}
