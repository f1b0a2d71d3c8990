package phoneduty.text;

/**
 * Caller-controlled text made fit for one log line: line breaks and other control characters are
 * shown escaped ({@code \n}, {@code \u0007}), so nobody can forge a separate log line, and long
 * text is cut, so a 1 MB body cannot flood the log. Every text from a webhook that is logged passes here.
 */
public final class LogSafe {

  /** Enough for a phone number, a caller name or the start of a text message. */
  public static final int MAX_CHARS = 200;

  private LogSafe() {}

  public static String of(String text) {
    return of(text, MAX_CHARS);
  }

  /** As {@link #of(String)}, cut at {@code maxChars} instead (an incident summary a person may need whole). */
  public static String of(String text, int maxChars) {
    if (text == null) {
      return "(none)";
    }
    StringBuilder safe = new StringBuilder(Math.min(text.length(), maxChars) + 16);
    int shown = 0;
    for (int i = 0; i < text.length() && shown < maxChars; i++, shown++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> safe.append("\\n");
        case '\r' -> safe.append("\\r");
        case '\t' -> safe.append("\\t");
        case '\\' -> safe.append("\\\\");
        default -> {
          if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085') {
            safe.append(String.format("\\u%04x", (int) c));
          } else {
            safe.append(c);
          }
        }
      }
    }
    if (text.length() > maxChars) {
      safe.append("… (").append(text.length()).append(" chars)");
    }
    return safe.toString();
  }
}
