package phoneduty.oncall;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import phoneduty.pagerduty.Failure;

/**
 * What {@link OnCallDirectory#lookup} found: either the escalation levels to ring, level 1 first,
 * or the failure that stopped it. Either way {@code reason} says what happened in one sentence
 * fit for logs, the incident a caller opens, and its summary; it never holds the API token.
 *
 * @param levels escalation order, level 1 first; only levels with at least one phone number; empty on failure
 */
public record OnCallLookup(List<EscalationLevel> levels, Optional<Failure> failure, String reason) {

  public OnCallLookup {
    levels = List.copyOf(levels);
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(reason, "reason");
    if (failure.isEmpty() == levels.isEmpty()) {
      throw new IllegalArgumentException("a lookup either found levels or failed");
    }
  }

  static OnCallLookup found(List<EscalationLevel> levels, String reason) {
    return new OnCallLookup(levels, Optional.empty(), reason);
  }

  static OnCallLookup failed(Failure failure, String reason) {
    return new OnCallLookup(List.of(), Optional.of(failure), reason);
  }

  /** True when there is at least one level with a phone number to ring. */
  public boolean found() {
    return failure.isEmpty();
  }

  @Override
  public String toString() {
    return failure.map(Failure::name).orElse("FOUND " + levels.size() + " level(s)") + ": " + reason;
  }
}
