package phoneduty.pagerduty;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An Events API v2 integration key (the old app's {@code service_key}): 32 letters and digits.
 * It lets anyone who holds it page the team, so {@link #toString()} shows only its end.
 */
public final class RoutingKey {

  private static final Pattern FORM = Pattern.compile("[A-Za-z0-9]{32}");

  private final String value;

  private RoutingKey(String value) {
    this.value = value;
  }

  /** The key, or empty when the text is not shaped like one. */
  public static Optional<RoutingKey> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.trim();
    return FORM.matcher(trimmed).matches() ? Optional.of(new RoutingKey(trimmed)) : Optional.empty();
  }

  /** Why a {@code service_key} parameter was refused, for logs and 4xx answers. */
  public static String problemWith(String text) {
    if (text == null || text.isBlank()) {
      return "service_key is missing";
    }
    return "service_key is malformed (expected the 32-character Events API v2 integration key, got "
        + text.trim().length() + " characters)";
  }

  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RoutingKey && ((RoutingKey) other).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "…" + value.substring(value.length() - 4);
  }
}
