package phoneduty.text;

/**
 * Text that XML 1.0 can carry. Twilio's TwiML builders escape {@code <}, {@code &} and quotes, but
 * write a NUL or U+FFFE as a character reference ({@code &#0;}) that no XML parser accepts, so
 * Twilio would answer the caller with "application error". Every text that reaches TwiML passes here.
 */
public final class XmlSafe {

  private XmlSafe() {}

  /** The text without the characters XML 1.0 forbids (controls but tab, CR and LF; U+FFFE/U+FFFF; lone surrogates). */
  public static String of(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder kept = null;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      int width = Character.charCount(c);
      boolean allowed = c == 0x9 || c == 0xA || c == 0xD
          || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
      if (!allowed && kept == null) {
        kept = new StringBuilder(text.length()).append(text, 0, i);
      } else if (allowed && kept != null) {
        kept.appendCodePoint(c);
      }
      i += width;
    }
    return kept == null ? text : kept.toString();
  }
}
