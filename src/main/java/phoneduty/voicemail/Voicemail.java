package phoneduty.voicemail;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import phoneduty.pagerduty.EventQueue;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.shortlink.ShortLink;
import phoneduty.shortlink.ShortLinks;
import phoneduty.twilio.Caller;
import phoneduty.twilio.Twiml;
import phoneduty.twilio.WebhookParameters;

/**
 * The voicemail line: greet, record, and page the on-call staff with the caller's number and a
 * short link to the recording.
 *
 * <p>A caller who hangs up or stays silent without leaving a message still pages, as a missed
 * call with their number: somebody tried to reach the on-call staff, and a callback number is
 * worth more than nothing. Twilio calls the recording action when the caller hangs up during the
 * recording, and our redirect after {@code <Record>} calls it when the recording timed out
 * silent; both arrive without a usable recording.
 */
public final class Voicemail {

  public static final String RECORDING_PATH = "/record";
  private static final Logger log = Logger.getLogger(Voicemail.class.getName());

  private final EventQueue events;
  private final ShortLinks shortLinks;
  private final Clock clock;

  public Voicemail() {
    this(new EventQueue(), new ShortLinks(), Clock.systemUTC());
  }

  public Voicemail(EventQueue events, ShortLinks shortLinks, Clock clock) {
    this.events = events;
    this.shortLinks = shortLinks;
    this.clock = clock;
  }

  /** {@code /call}: the greeting and the recording. */
  public String answerCall(WebhookParameters params) {
    Optional<RoutingKey> key = RoutingKey.parse(params.raw("service_key"));
    if (key.isEmpty()) {
      log.severe("/call from " + params.getOrDefault("From", "?") + " cannot page anyone: "
          + RoutingKey.problemWith(params.raw("service_key")) + " in the Twilio number's voice URL");
      return Twiml.lineMisconfigured();
    }
    return Twiml.voicemailPrompt(
        params.getOrDefault("greeting", Twiml.DEFAULT_GREETING), recordingAction(key.get(), params));
  }

  /** The relative URL of the recording action, carrying what the incident needs. */
  public static String recordingAction(RoutingKey key, WebhookParameters params) {
    return RECORDING_PATH + "?service_key=" + key.value()
        + Caller.severity(params).map(s -> "&severity=" + s.json()).orElse("");
  }

  /** {@code /record}: Twilio's report of the recording; opens the incident. */
  public String recordingDone(WebhookParameters params, String publicBaseUrl) {
    Optional<RoutingKey> key = RoutingKey.parse(params.raw("service_key"));
    Optional<URI> recording = recordingUrl(params);
    if (key.isEmpty()) {
      // Cannot page: log what an operator needs to fetch the message by hand.
      log.severe("Voicemail from " + Caller.describe(params) + " cannot be paged: "
          + RoutingKey.problemWith(params.raw("service_key")) + "; recording: "
          + recording.map(URI::toString).orElse("(none)"));
      return Twiml.lineMisconfigured();
    }
    String callSid = params.get("CallSid").orElseGet(() -> {
      String made = "nosid-" + UUID.randomUUID();
      log.warning("Recording action without CallSid; using dedup key " + made);
      return made;
    });
    PagerDutyEvent.Trigger trigger = Caller.trigger(key.get(), callSid, params, "voicemail", "phone call", clock.instant())
        .detail("call_sid", callSid);
    if (recording.isEmpty()) {
      trigger
          .summary("Missed call from " + Caller.describe(params) + ": hung up without leaving a message")
          .detail("message", "none: the caller hung up or stayed silent");
      events.enqueue("voicemail", trigger.build());
      return Twiml.noMessageReceived();
    }
    String audio = recording.get() + ".mp3"; // MP3 plays on more phones than Twilio's default WAV.
    // Stored by the delivery task before the page goes out, so this answer does not wait on Datastore.
    ShortLink shortLink = shortLinks.reserve(URI.create(audio), publicBaseUrl);
    String link = shortLink.url();
    String duration = params.get("RecordingDuration").map(s -> " (" + s + " s)").orElse("");
    trigger
        .summary("Voicemail from " + Caller.describe(params) + ": " + link + duration)
        .detail("recording", link)
        .detail("recording_url", audio)
        .detail("recording_duration_seconds", params.get("RecordingDuration").orElse(null))
        .detail("recording_sid", params.get("RecordingSid").orElse(null))
        .detail("ended_by", params.get("Digits").orElse(null))
        .link(link, "Voicemail recording" + duration);
    events.enqueue("voicemail", trigger.build(), List.of(shortLink));
    return Twiml.messageReceived();
  }

  /** A recording worth a link: an http(s) URL and, when Twilio gives one, a non-zero length. */
  static Optional<URI> recordingUrl(WebhookParameters params) {
    Optional<String> url = params.get("RecordingUrl");
    if (url.isEmpty() || params.get("RecordingDuration").filter(d -> d.equals("0")).isPresent()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(url.get());
      if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
        log.warning("Ignoring a RecordingUrl that is not an http(s) URL");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      log.warning("Ignoring a malformed RecordingUrl: " + e.getMessage());
      return Optional.empty();
    }
  }

}
