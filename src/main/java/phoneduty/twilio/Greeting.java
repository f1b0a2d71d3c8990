package phoneduty.twilio;

import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Play;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.logging.Logger;
import phoneduty.text.LogSafe;
import phoneduty.text.XmlSafe;

/**
 * What a caller hears first: a recording ({@code greeting_audio}, played) or a text (spoken in
 * the line's {@link Speech}).
 *
 * @param text spoken when there is no audio
 * @param audio an https URL Twilio plays instead
 */
public record Greeting(String text, Optional<URI> audio) {

  /** Longer URLs are not real recordings, and would swell every TwiML answer. */
  static final int MAX_AUDIO_URL_CHARS = 1000;
  private static final Logger log = Logger.getLogger(Greeting.class.getName());

  public static Greeting spoken(String text) {
    return new Greeting(text, Optional.empty());
  }

  /**
   * The line's greeting: {@code greeting_audio} when it is an https URL (anything else is
   * ignored and logged), else the {@code greeting} text, else the fallback.
   */
  public static Greeting of(WebhookParameters params, String fallback) {
    String text = params.getOrDefault("greeting", fallback);
    return new Greeting(text, params.get("greeting_audio").flatMap(Greeting::audio));
  }

  private static Optional<URI> audio(String url) {
    try {
      URI uri = new URI(url);
      if ("https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && url.length() <= MAX_AUDIO_URL_CHARS
          && XmlSafe.of(url).equals(url)) {
        return Optional.of(uri);
      }
    } catch (URISyntaxException e) {
      // falls through to the warning
    }
    log.warning("Ignoring greeting_audio " + LogSafe.of(url, 80) + ": only https URLs are played; speaking the greeting");
    return Optional.empty();
  }

  VoiceResponse.Builder addTo(VoiceResponse.Builder response, Speech speech) {
    return audio.isPresent() ? response.play(play()) : response.say(speech.say(text));
  }

  Gather.Builder addTo(Gather.Builder gather, Speech speech) {
    return audio.isPresent() ? gather.play(play()) : gather.say(speech.say(text));
  }

  private Play play() {
    return new Play.Builder(audio.orElseThrow().toString()).build();
  }
}
