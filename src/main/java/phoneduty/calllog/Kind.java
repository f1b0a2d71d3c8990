package phoneduty.calllog;

import java.util.Locale;
import java.util.Optional;

/** What a call-log record is about: a phone call, a text message, or a test page from the console. */
public enum Kind {
  CALL("call"),
  TEXT("text"),
  TEST("test page");

  private final String label;

  Kind(String label) {
    this.label = label;
  }

  /** As people read it: "call", "text", "test page". */
  public String label() {
    return label;
  }

  /** As stored and as the console's filter names it: "call", "text", "test". */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Kind> parse(String code) {
    for (Kind kind : values()) {
      if (kind.code().equals(code)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
