package phoneduty.sms;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.json.JSONArray;
import phoneduty.abuse.Folding;
import phoneduty.callback.TextRelay;
import phoneduty.calllog.CallLog;
import phoneduty.calllog.Kind;
import phoneduty.calllog.PageStatus;
import phoneduty.calllog.Step;
import phoneduty.delivery.EventQueue;
import phoneduty.pagerduty.TriggerEvent;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.text.LogSafe;
import phoneduty.twilio.MessagingTwiml;
import phoneduty.twilio.Webhook;

/** Turns a text message to the on-call number into a PagerDuty incident. */
public record SmsPager(EventQueue events, CallLog callLog, Clock clock) {

  /** Twilio sends at most ten media items with one message. */
  static final int MAX_MEDIA = 10;
  private static final Logger log = Logger.getLogger(SmsPager.class.getName());

  /** The TwiML answer, or the reason the request is refused (a 400). */
  public Answer receive(Webhook text) {
    return receive(text, Optional.empty());
  }

  /**
   * @param reply set when the text answers a responder's text from the line: it goes to that
   *     responder too, and into the incident of the texter's first contact
   */
  public Answer receive(Webhook text, Optional<TextRelay.Reply> reply) {
    String rawBody = text.parameters().raw("Body");
    String body = rawBody == null ? "" : rawBody.strip();
    Optional<RoutingKey> key = text.serviceKey().key();
    if (key.isEmpty()) {
      log.severe("SMS from " + text.callerForLog() + " cannot page anyone: " + text.serviceKey().problem()
          + " in the Twilio number's messaging URL; text: " + LogSafe.of(body));
      callLog.arrived(text, "/sms", Kind.TEXT, PageStatus.NONE, Step.misconfigured(text.serviceKey().problem()));
      return Answer.refused(text.serviceKey().problem());
    }
    if (text.sid().isEmpty()) {
      log.severe("SMS webhook without MessageSid refused; text: " + LogSafe.of(body));
      return Answer.refused("MessageSid is missing");
    }
    String messageSid = text.sid().get();
    List<String> media = media(text);

    // A reply to a responder's text goes into the texter's incident; any other text may join an
    // earlier one (a repeat, a flood), which the delivery task decides.
    TriggerEvent trigger =
        text.trigger(key.get(), reply.map(TextRelay.Reply::incident).orElse(messageSid), "sms", "text message",
                clock.instant())
            .summary((reply.isPresent() ? "Reply to a responder's text: " : "") + "SMS from " + text.caller().describe() + ": "
                + (body.isEmpty() ? "(no text)" : body)
                + (media.isEmpty() ? "" : " [" + media.size() + " attachment" + (media.size() == 1 ? "" : "s") + "]"))
            .detail("message_sid", messageSid)
            .detail(Folding.JOINED_DETAIL, reply.map(r -> "reply to a responder's text from the line").orElse(null))
            .detail("body", body)
            .detail("num_media", text.get("NumMedia").orElse(null));
    if (!media.isEmpty()) {
      trigger.detail("media_urls", new JSONArray(media));
      for (int i = 0; i < media.size(); i++) {
        String type = text.get("MediaContentType" + i).map(t -> " (" + t + ")").orElse("");
        trigger.link(media.get(i), "Attachment " + (i + 1) + type);
      }
    }
    if (reply.isPresent()) {
      events.enqueue("sms-" + messageSid, trigger.build());
    } else {
      events.enqueueFoldable("sms", trigger.build(), List.of());
    }
    if (reply.isPresent()) {
      return Answer.twiml(MessagingTwiml.relay(reply.get().responder(), "From " + text.caller().number().orElse("?") + ": " + body,
          text.get("reply")));
    }
    return Answer.twiml(MessagingTwiml.sms(text.get("reply")));
  }

  static List<String> media(Webhook text) {
    int count = text.get("NumMedia").map(SmsPager::count).orElse(0);
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < Math.min(count, MAX_MEDIA); i++) {
      text.get("MediaUrl" + i).filter(u -> u.startsWith("https://") || u.startsWith("http://")).ifPresent(urls::add);
    }
    return urls;
  }

  private static int count(String text) {
    try {
      return Math.max(0, Integer.parseInt(text));
    } catch (NumberFormatException e) {
      log.warning("Ignoring a NumMedia that is not a number");
      return 0;
    }
  }

  /** TwiML for Twilio, or the reason for a 400; exactly one of the two is present. */
  public record Answer(Optional<String> twiml, Optional<String> refusal) {
    static Answer twiml(String twiml) {
      return new Answer(Optional.of(twiml), Optional.empty());
    }

    static Answer refused(String reason) {
      return new Answer(Optional.empty(), Optional.of(reason));
    }
  }
}
