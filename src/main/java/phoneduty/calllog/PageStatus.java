package phoneduty.calllog;

import java.util.Locale;
import java.util.Optional;

/** Where a call's page is: none opened, queued, delivered, being retried, or refused for good. */
public enum PageStatus {
  NONE("no page"),
  QUEUED("queued"),
  DELIVERED("delivered"),
  RETRYING("retrying"),
  FAILED("failed for good");

  private final String label;

  PageStatus(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** As stored and as the console's filter names it: "none", "queued", … */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<PageStatus> parse(String code) {
    for (PageStatus status : values()) {
      if (status.code().equals(code)) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }
}
