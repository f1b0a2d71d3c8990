package phoneduty.text;

/**
 * Text made safe for HTML, in element content and in quoted attribute values alike: the console's
 * one place for HTML escaping. Everything a caller controls (numbers, names, texts, greetings)
 * reaches a page through here, so {@code <script>} or {@code "><img onerror=…>} shows as text.
 */
public final class HtmlSafe {

  private HtmlSafe() {}

  /** The text with {@code & < > " '} as character references, and characters XML forbids dropped. */
  public static String of(String text) {
    if (text == null) {
      return "";
    }
    String kept = XmlSafe.of(text);
    StringBuilder safe = null;
    for (int i = 0; i < kept.length(); i++) {
      char c = kept.charAt(i);
      String reference = switch (c) {
        case '&' -> "&amp;";
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (reference != null && safe == null) {
        safe = new StringBuilder(kept.length() + 16).append(kept, 0, i);
      }
      if (safe != null) {
        if (reference != null) {
          safe.append(reference);
        } else {
          safe.append(c);
        }
      }
    }
    return safe == null ? kept : safe.toString();
  }
}
