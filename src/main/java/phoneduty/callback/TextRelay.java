package phoneduty.callback;

import com.google.appengine.api.memcache.Expiration;
import com.google.appengine.api.memcache.MemcacheService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import phoneduty.calllog.CallEntry;
import phoneduty.calllog.CallLog;
import phoneduty.calllog.CallLogReader;
import phoneduty.calllog.Kind;
import phoneduty.calllog.PageStatus;
import phoneduty.calllog.Step;
import phoneduty.delivery.EventQueue;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.twilio.MessagingTwiml;
import phoneduty.twilio.Webhook;

/**
 * Texting back from the hotline: a responder's text to the line goes, from the line's number, to
 * the line's most recent texter of the last 24 hours, or to the number it starts with if that
 * number called or texted the line in that time. The texter's replies within the next hour go to
 * the responder who wrote last, and into the same incident.
 *
 * <p>Texts carry no attestation; Twilio's answer goes to the real sender, so a forged sender
 * learns nothing, but could make the line text its last texter. So with {@code RESPONDER_PIN} set,
 * a responder's text must start with it (it is removed before relaying).
 */
public final class TextRelay {

  static final Duration REPLY_WINDOW = Duration.ofHours(1);
  private static final Pattern ADDRESSED = Pattern.compile("(\\+[0-9]{6,15})\\s+(.*)", Pattern.DOTALL);
  private static final Logger log = Logger.getLogger(TextRelay.class.getName());

  private final Responders responders;
  private final CallLogReader reader;
  private final CallLog callLog;
  private final EventQueue events;
  private final MemcacheService memcache;
  private final Optional<String> pin;
  private final Clock clock;

  public TextRelay(Responders responders, CallLogReader reader, CallLog callLog, EventQueue events,
      MemcacheService memcache, Optional<String> pin, Clock clock) {
    this.responders = responders;
    this.reader = reader;
    this.callLog = callLog;
    this.events = events;
    this.memcache = memcache;
    this.pin = pin;
    this.clock = clock;
  }

  /** A texter's reply to a relayed text: the responder to pass it to, and the incident it joins. */
  public record Reply(String responder, String incident) {}

  /**
   * A responder's text: the TwiML that relays it (or tells them why not). Empty when the text is
   * not a responder's (or lacks the PIN): it is then paged like any text.
   */
  public Optional<String> fromResponder(Webhook text) {
    Optional<Responders.Known> responder = responders.recognise(text);
    if (responder.isEmpty() || text.line().isEmpty() || text.sid().isEmpty()) {
      return Optional.empty();
    }
    String body = Optional.ofNullable(text.parameters().raw("Body")).orElse("").strip();
    if (pin.isPresent()) {
      if (!body.startsWith(pin.get())) {
        log.info("Text " + text.sidForLog() + " from a responder's number without RESPONDER_PIN: paged as a text");
        return Optional.empty();
      }
      body = body.substring(pin.get().length()).strip();
    }
    String hotline = text.line().get();
    List<CallEntry> contacts = ResponderDesk.contacts(reader, hotline, responder.get(), clock.instant());
    Optional<CallEntry> target;
    Matcher addressed = ADDRESSED.matcher(body);
    if (addressed.matches()) {
      String number = addressed.group(1);
      body = addressed.group(2).strip();
      target = contacts.stream().filter(entry -> entry.from().equals(number)).findFirst();
      if (target.isEmpty()) {
        return Optional.of(refuse(text, number + " has not called or texted this line in the last 24 hours"));
      }
    } else {
      target = contacts.stream().filter(entry -> entry.kind() == Kind.TEXT).findFirst();
      if (target.isEmpty()) {
        return Optional.of(refuse(text, "nobody has texted this line in the last 24 hours;"
            + " start with a number (+1415…) to text someone who called"));
      }
    }
    if (body.isEmpty()) {
      return Optional.of(refuse(text, "the message is empty"));
    }
    CallEntry contact = target.get();
    remember(hotline, contact, responder.get().number());
    callLog.arrived(text, "/sms", Kind.TEXT, PageStatus.NONE,
        Step.of("relayed", "from " + responder.get().name() + " to " + contact.from() + " (" + contact.sid() + ")"));
    changeEvent(text, responder.get().name() + " texted " + contact.from() + " from the on-call line", contact);
    return Optional.of(MessagingTwiml.relay(contact.from(), body, Optional.of("Sent to " + contact.from())));
  }

  /** The responder this text answers, if its sender was texted from the line within the hour. */
  public Optional<Reply> replyOf(Webhook text) {
    Optional<String> from = text.caller().number();
    if (from.isEmpty() || text.line().isEmpty() || !responders.any(text)) {
      return Optional.empty();
    }
    try {
      Object relay = memcache.get(relayKey(text.line().get(), from.get()));
      if (relay instanceof String value && value.contains("\n")) {
        String[] parts = value.split("\n", 2);
        return Optional.of(new Reply(parts[0], parts[1]));
      }
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Text relay: Memcache failed; a reply is paged without being relayed", e);
    }
    return Optional.empty();
  }

  private void remember(String hotline, CallEntry contact, String responder) {
    try {
      memcache.put(relayKey(hotline, contact.from()), responder + "\n" + contact.sid(),
          Expiration.byDeltaSeconds((int) REPLY_WINDOW.toSeconds()));
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Text relay: Memcache failed; the texter's replies will be paged, not relayed", e);
    }
  }

  private String refuse(Webhook text, String why) {
    log.info("Text " + text.sidForLog() + " from a responder not relayed: " + why);
    callLog.arrived(text, "/sms", Kind.TEXT, PageStatus.NONE, Step.of("not relayed", why));
    return MessagingTwiml.sms(Optional.of("Not sent: " + why + "."));
  }

  /** Tells the line's service who texted whom; never the text itself. */
  private void changeEvent(Webhook text, String summary, CallEntry contact) {
    Optional<RoutingKey> key = text.serviceKey().key();
    if (key.isEmpty()) {
      return;
    }
    events.enqueue("relay", PagerDutyEvent.change(key.get(), text.sid().get() + "-relay")
        .summary(summary)
        .source(text.source())
        .at(clock.instant())
        .detail("to", contact.from())
        .detail("contact_sid", contact.sid())
        .detail("message_sid", text.sid().get())
        .build());
  }

  private static String relayKey(String hotline, String texter) {
    return "relay:" + hotline + ":" + texter;
  }
}
