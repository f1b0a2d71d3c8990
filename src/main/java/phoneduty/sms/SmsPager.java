package phoneduty.sms;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.json.JSONArray;
import phoneduty.pagerduty.EventQueue;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.twilio.Caller;
import phoneduty.twilio.Twiml;
import phoneduty.twilio.WebhookParameters;

/** Turns a text message to the on-call number into a PagerDuty incident. */
public final class SmsPager {

  /** Twilio sends at most ten media items with one message. */
  static final int MAX_MEDIA = 10;
  private static final Logger log = Logger.getLogger(SmsPager.class.getName());

  private final EventQueue events;
  private final Clock clock;

  public SmsPager() {
    this(new EventQueue(), Clock.systemUTC());
  }

  public SmsPager(EventQueue events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  /** The TwiML answer, or the reason the request is refused (a 400). */
  public Answer receive(WebhookParameters params) {
    Optional<RoutingKey> key = RoutingKey.parse(params.raw("service_key"));
    if (key.isEmpty()) {
      String problem = RoutingKey.problemWith(params.raw("service_key"));
      log.severe("SMS from " + params.getOrDefault("From", "?") + " cannot page anyone: " + problem
          + " in the Twilio number's messaging URL; text: " + params.getOrDefault("Body", ""));
      return Answer.refused(problem);
    }
    Optional<String> messageSid = params.get("MessageSid").or(() -> params.get("SmsSid"));
    if (messageSid.isEmpty()) {
      log.severe("SMS webhook without MessageSid refused; text: " + params.getOrDefault("Body", ""));
      return Answer.refused("MessageSid is missing");
    }
    String body = params.raw("Body") == null ? "" : params.raw("Body").strip();
    List<String> media = media(params);

    PagerDutyEvent.Trigger trigger =
        Caller.trigger(key.get(), messageSid.get(), params, "sms", "text message", clock.instant())
            .summary("SMS from " + Caller.describe(params) + ": "
                + (body.isEmpty() ? "(no text)" : body)
                + (media.isEmpty() ? "" : " [" + media.size() + " attachment" + (media.size() == 1 ? "" : "s") + "]"))
            .detail("message_sid", messageSid.get())
            .detail("body", body)
            .detail("num_media", params.get("NumMedia").orElse(null));
    if (!media.isEmpty()) {
      trigger.detail("media_urls", new JSONArray(media));
      for (int i = 0; i < media.size(); i++) {
        String type = params.get("MediaContentType" + i).map(t -> " (" + t + ")").orElse("");
        trigger.link(media.get(i), "Attachment " + (i + 1) + type);
      }
    }
    events.enqueue("sms", trigger.build());
    return Answer.twiml(Twiml.sms(params.get("reply")));
  }

  static List<String> media(WebhookParameters params) {
    int count = params.get("NumMedia").map(SmsPager::count).orElse(0);
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < Math.min(count, MAX_MEDIA); i++) {
      params.get("MediaUrl" + i).filter(u -> u.startsWith("https://") || u.startsWith("http://")).ifPresent(urls::add);
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

  /** TwiML for Twilio, or the reason for a 400. */
  public static final class Answer {
    private final String twiml;
    private final String refusal;

    private Answer(String twiml, String refusal) {
      this.twiml = twiml;
      this.refusal = refusal;
    }

    static Answer twiml(String twiml) {
      return new Answer(twiml, null);
    }

    static Answer refused(String reason) {
      return new Answer(null, reason);
    }

    public Optional<String> twiml() {
      return Optional.ofNullable(twiml);
    }

    public Optional<String> refusal() {
      return Optional.ofNullable(refusal);
    }
  }
}
