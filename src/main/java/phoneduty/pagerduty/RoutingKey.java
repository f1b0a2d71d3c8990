package phoneduty.pagerduty;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An Events API v2 integration key (the old app's {@code service_key}): 32 letters and digits.
 * It lets anyone who holds it page the team, so {@link #toString()} shows only its end.
 */
public record RoutingKey(String value) {

  private static final Pattern FORM = Pattern.compile("[A-Za-z0-9]{32}");

  public RoutingKey {
    if (value == null || !FORM.matcher(value).matches()) {
      throw new IllegalArgumentException("not an Events API v2 integration key");
    }
  }

  /** The key, or empty when the text is not shaped like one. */
  public static Optional<RoutingKey> parse(String text) {
    return check(text).key();
  }

  /** A {@code service_key} parameter, read once: the key, or why it cannot be used. */
  public static Checked check(String text) {
    if (text == null || text.isBlank()) {
      return new Checked(Optional.empty(), false, "service_key is missing");
    }
    String trimmed = text.trim();
    if (FORM.matcher(trimmed).matches()) {
      return new Checked(Optional.of(new RoutingKey(trimmed)), true, "");
    }
    return new Checked(Optional.empty(), true,
        "service_key is malformed (expected the 32-character Events API v2 integration key, got "
            + trimmed.length() + " characters)");
  }

  /**
   * @param given whether the parameter was there at all
   * @param problem why it cannot be used, for logs and 4xx answers (never the value); empty when usable
   */
  public record Checked(Optional<RoutingKey> key, boolean given, String problem) {}

  @Override
  public String toString() {
    return "…" + value.substring(value.length() - 4);
  }
}
