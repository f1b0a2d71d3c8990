package phoneduty.shortlink;

import java.net.URI;
import java.util.Optional;
import java.util.logging.Logger;
import phoneduty.text.LogSafe;
import phoneduty.twilio.TwilioMediaClient;
import phoneduty.twilio.TwilioMediaClient.Media;
import phoneduty.twilio.TwilioMediaClient.MediaException;

/**
 * Private recordings ({@code TWILIO_ACCOUNT_SID} set): {@code /r/CODE} serves the recording's audio
 * itself, fetched from Twilio with the account's credentials, instead of redirecting to Twilio, so
 * the account can enforce HTTP auth on its media URLs and the link stays the only way in.
 *
 * <p>A target that is not a recording of this account is refused without asking anybody; Twilio's
 * 404 is a 404; anything else Twilio does wrong (5xx, 401, a timeout, no connection) is a 502 with
 * a short reason. The body is streamed by the caller, never held here.
 */
public final class RecordingProxy {

  private static final Logger log = Logger.getLogger(RecordingProxy.class.getName());

  private final TwilioMediaClient twilio;

  public RecordingProxy(TwilioMediaClient twilio) {
    this.twilio = twilio;
  }

  /** What {@code /r/CODE} answers for a recording. */
  public sealed interface Answer permits Audio, Refusal {}

  /** Twilio's audio, to relay (status, length, range) and close. */
  public record Audio(Media media) implements Answer {}

  /** No audio: this status with this short text. */
  public record Refusal(int status, String message) implements Answer {}

  /**
   * Asks Twilio for the audio of a link's target.
   *
   * @param range the client's {@code Range} header, if any
   */
  public Answer open(String code, URI target, Optional<String> range) {
    Optional<String> path = twilio.mediaPath(target);
    if (path.isEmpty()) {
      log.warning("Short link " + LogSafe.of(code) + " points to " + LogSafe.of(target.toString())
          + ", not a recording of this Twilio account (TWILIO_ACCOUNT_SID); not fetched");
      return new Refusal(404, "No such recording");
    }
    try {
      return new Audio(twilio.fetch(path.get(), range));
    } catch (MediaException e) {
      if (e.notFound()) {
        log.info("Short link " + LogSafe.of(code) + ": Twilio has no recording at " + LogSafe.of(path.get()));
        return new Refusal(404, "No such recording");
      }
      log.warning("Short link " + LogSafe.of(code) + ": recording " + LogSafe.of(path.get()) + " not served: "
          + LogSafe.of(e.getMessage()));
      return new Refusal(502, e.reason());
    }
  }
}
