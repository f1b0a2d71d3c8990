package phoneduty.text;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Small text operations the app needs in several places: cutting, URL encoding, hashing. */
public final class Text {

  private Text() {}

  /** At most {@code maxChars} characters, never splitting a surrogate pair. */
  public static String cut(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return text;
    }
    int end = maxChars;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }

  /** As {@link #cut}, with "…" as the last of the {@code maxChars} characters when cut. */
  public static String cutWithEllipsis(String text, int maxChars) {
    return text.length() <= maxChars ? text : cut(text, maxChars - 1) + "…";
  }

  /** {@code application/x-www-form-urlencoded}, as Twilio URLs carry parameters. */
  public static String urlEncode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** The SHA-256 of the text's UTF-8 bytes, in lower-case hex. */
  public static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-256", e);
    }
  }
}
