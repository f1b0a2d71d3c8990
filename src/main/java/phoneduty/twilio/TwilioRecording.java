package phoneduty.twilio;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A recording of this app's Twilio account, the only thing a short link may point to. Anything
 * else in a {@code RecordingUrl} (another host, {@code api.twilio.com@evil.example}, an internal
 * address, a query) would turn {@code /r/CODE} into an open redirect.
 */
public final class TwilioRecording {

  private static final String RECORDING =
      "https://api\\.twilio\\.com/2010-04-01/Accounts/AC[0-9a-fA-F]{32}/Recordings/RE[0-9a-fA-F]{32}";
  private static final Pattern RECORDING_URL = Pattern.compile(RECORDING);
  private static final Pattern AUDIO_URL = Pattern.compile(RECORDING + "\\.mp3");

  private TwilioRecording() {}

  /** The MP3 of a recording URL as Twilio sends it (MP3 plays on more phones than the default WAV). */
  public static Optional<URI> audio(String recordingUrl) {
    if (recordingUrl == null || !RECORDING_URL.matcher(recordingUrl).matches()) {
      return Optional.empty();
    }
    return Optional.of(URI.create(recordingUrl + ".mp3"));
  }

  /** Whether a short link may redirect here. */
  public static boolean isAudio(URI target) {
    return target != null && AUDIO_URL.matcher(target.toString()).matches();
  }
}
