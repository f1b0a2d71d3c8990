package phoneduty.twilio;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.ResourceBundle;

/**
 * phoneduty's own sentences, in English, German, French and Spanish ({@code
 * phoneduty/twilio/Sentences*.properties}); any other language gets English.
 */
public enum Sentence {
  GREETING,
  FORWARD_GREETING,
  NO_RECORDING,
  MESSAGE_RECEIVED,
  NO_MESSAGE,
  LINE_MISCONFIGURED,
  TECHNICAL_FAILURE,
  FORWARDING_FAILED,
  NOBODY_ANSWERED,
  CANNOT_FORWARD,
  /** {0}: the line, {1}: the caller, both spelled digit by digit. */
  WHISPER,
  UNKNOWN_NUMBER,
  /** {0}: the option's label, {1}: its key. */
  MENU_OPTION,
  NOT_AN_OPTION,
  MENU_MISCONFIGURED,
  GATE,
  RESPONDER_PIN,
  RESPONDER_HELLO,
  /** {0}: the number, digit by digit; {1}: minutes ago. */
  RESPONDER_LAST,
  /** {0}: the number, digit by digit; {1}: minutes ago. */
  RESPONDER_BEFORE,
  RESPONDER_OPTIONS,
  RESPONDER_NONE,
  RESPONDER_CONTINUE,
  RESPONDER_NO_VOICEMAIL,
  RESPONDER_NO_EARLIER;

  private static final String BUNDLE = "phoneduty.twilio.Sentences";
  private static final ResourceBundle.Control NO_FALLBACK_TO_DEFAULT_LOCALE =
      ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

  /** This sentence in the language of {@code locale}, or English. */
  public String in(Locale locale, Object... arguments) {
    String pattern = ResourceBundle.getBundle(BUNDLE, locale, NO_FALLBACK_TO_DEFAULT_LOCALE).getString(name());
    return new MessageFormat(pattern, locale).format(arguments);
  }

  /** The English sentence. */
  public String english(Object... arguments) {
    return in(Locale.ENGLISH, arguments);
  }
}
