package phoneduty.twilio;

import com.twilio.twiml.voice.Say;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import phoneduty.text.LogSafe;
import phoneduty.text.Text;
import phoneduty.text.XmlSafe;

/**
 * How a line speaks: the {@code voice} and {@code language} of its URL, checked so that Twilio
 * can never fail a call over them, and the language of phoneduty's own sentences.
 *
 * <p>A voice or language that is not one of Twilio's (the Twilio library lists them in {@link
 * Say.Voice} and {@link Say.Language}) is ignored and logged. Twilio fails a {@code <Say>} whose
 * voice cannot speak its language, so: an Amazon Polly or Google voice speaks its own language and
 * gets no {@code language} attribute; {@code man} and {@code woman} speak only {@link
 * #MAN_WOMAN_LANGUAGES} (another language of {@link #ALICE_LANGUAGES} switches to {@code alice});
 * {@code alice} speaks only {@link #ALICE_LANGUAGES}; any other language is dropped. The lists are
 * Twilio's text-to-speech documentation's (docs/design.md).
 *
 * @param voice the {@code voice} attribute of every {@code <Say>}, or Twilio's default
 * @param language the {@code language} attribute of every {@code <Say>}, or Twilio's default
 * @param sentences the language phoneduty's own sentences are in
 */
public record Speech(Optional<Say.Voice> voice, Optional<Say.Language> language, Locale sentences) {

  /** Twilio's default voice and language, English sentences. */
  public static final Speech DEFAULT = new Speech(Optional.empty(), Optional.empty(), Locale.ENGLISH);

  static final Set<String> MAN_WOMAN_LANGUAGES = Set.of("en-US", "en-GB", "es-ES", "fr-FR", "de-DE");
  static final Set<String> ALICE_LANGUAGES = Set.of("da-DK", "de-DE", "en-AU", "en-CA", "en-GB", "en-IN",
      "en-US", "ca-ES", "es-ES", "es-MX", "fi-FI", "fr-CA", "fr-FR", "it-IT", "ja-JP", "ko-KR", "nb-NO", "nl-NL",
      "pl-PL", "pt-BR", "pt-PT", "ru-RU", "sv-SE", "zh-CN", "zh-HK", "zh-TW");
  private static final Logger log = Logger.getLogger(Speech.class.getName());

  /** The line's speech, from its {@code voice} and {@code language} parameters. */
  public static Speech of(WebhookParameters params) {
    Optional<String> voiceText = params.get("voice");
    Optional<String> languageText = params.get("language");
    if (voiceText.isEmpty() && languageText.isEmpty()) {
      return DEFAULT;
    }
    Optional<Say.Voice> voice = voiceText.flatMap(text -> find(Say.Voice.values(), text));
    if (voiceText.isPresent() && voice.isEmpty()) {
      log.warning("Ignoring voice " + LogSafe.of(voiceText.get(), 60) + ": not one of Twilio's voices");
    }
    Optional<Say.Language> language = languageText.flatMap(text -> find(Say.Language.values(), text));
    if (languageText.isPresent() && language.isEmpty()) {
      log.warning("Ignoring language " + LogSafe.of(languageText.get(), 60) + ": not one Twilio speaks");
    }
    return fitted(voice, language);
  }

  private static Speech fitted(Optional<Say.Voice> voice, Optional<Say.Language> language) {
    String voiceName = voice.map(Say.Voice::toString).orElse("");
    if (voiceName.startsWith("Polly.") || voiceName.startsWith("Google.")) {
      // The voice fixes its language; a Google voice's name holds it (Google.de-DE-Standard-A).
      Locale sentences = voiceName.startsWith("Google.")
          ? Locale.forLanguageTag(voiceName.substring("Google.".length()).split("-")[0])
          : language.map(l -> Locale.forLanguageTag(l.toString())).orElse(Locale.ENGLISH);
      return new Speech(voice, Optional.empty(), sentences);
    }
    if (language.isEmpty()) {
      return new Speech(voice, Optional.empty(), Locale.ENGLISH);
    }
    String tag = language.get().toString();
    Locale sentences = Locale.forLanguageTag(tag);
    boolean alice = "alice".equals(voiceName);
    if (!alice && MAN_WOMAN_LANGUAGES.contains(tag)) {
      return new Speech(voice, language, sentences);
    }
    if (ALICE_LANGUAGES.contains(tag)) {
      if (!alice) {
        log.info("Voice " + (voiceName.isEmpty() ? "man (the default)" : voiceName) + " cannot speak " + tag
            + "; using alice");
      }
      return new Speech(Optional.of(Say.Voice.ALICE), language, sentences);
    }
    log.warning("Ignoring language " + tag + ": voice " + (voiceName.isEmpty() ? "man" : voiceName)
        + " cannot speak it; choose a Polly or Google voice for it");
    return new Speech(voice, Optional.empty(), Locale.ENGLISH);
  }

  private static <T> Optional<T> find(T[] values, String text) {
    return Arrays.stream(values).filter(value -> value.toString().equalsIgnoreCase(text)).findFirst();
  }

  /** The query that carries this speech to the line's next step ("" for the default). */
  public String query() {
    StringBuilder query = new StringBuilder();
    voice.ifPresent(v -> query.append("&voice=").append(Text.urlEncode(v.toString())));
    language.ifPresent(l -> query.append("&language=").append(Text.urlEncode(l.toString())));
    if (voice.isEmpty() && language.isEmpty() && !sentences.getLanguage().equals("en")) {
      query.append("&language=").append(Text.urlEncode(sentences.toLanguageTag()));
    }
    return query.toString();
  }

  /** One of phoneduty's own sentences, in this speech's language. */
  /** "+1 415" becomes "1 4 1 5", which text-to-speech reads digit by digit. */
  public static String spell(String number) {
    String digits = number.replaceAll("[^0-9]", "");
    return digits.isEmpty() ? number : String.join(" ", digits.split(""));
  }

  public String sentence(Sentence sentence, Object... arguments) {
    return sentence.in(sentences, arguments);
  }

  /** A {@code <Say>} of this text in this voice and language. */
  Say say(String text) {
    Say.Builder say = new Say.Builder(Text.cut(XmlSafe.of(text), Twiml.MAX_SPOKEN_CHARS));
    voice.ifPresent(say::voice);
    language.ifPresent(say::language);
    return say.build();
  }
}
