package phoneduty.pagerduty;

import java.util.Locale;
import java.util.Optional;

/** PagerDuty's event severities. */
public enum Severity {
  CRITICAL,
  ERROR,
  WARNING,
  INFO;

  /** Parses the per-number {@code severity} parameter; empty when it names no severity. */
  public static Optional<Severity> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    for (Severity severity : values()) {
      if (severity.json().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(severity);
      }
    }
    return Optional.empty();
  }

  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }
}
