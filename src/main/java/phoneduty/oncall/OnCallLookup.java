package phoneduty.oncall;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import phoneduty.pagerduty.Failure;

/**
 * What {@link OnCallDirectory#lookup} found for a call: either the escalation levels to ring,
 * level 1 first, or the failure that stopped it. Either way {@code reason} says what happened in
 * one sentence fit for logs, the incident a caller opens, and its summary; it never holds the API
 * token.
 *
 * @param levels escalation order, level 1 first; only levels with at least one phone number; empty on failure
 * @param loops how many more times to go round all levels after the last
 * @param staleNote set when the roster is older than it should be, to say so in the incident or
 *     change event ("on-call roster from 10:02 UTC; PagerDuty unreachable")
 */
public record OnCallLookup(List<EscalationLevel> levels, int loops, Optional<Failure> failure, String reason,
    Optional<String> staleNote) {

  public OnCallLookup {
    levels = List.copyOf(levels);
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(staleNote, "staleNote");
    if (failure.isEmpty() == levels.isEmpty()) {
      throw new IllegalArgumentException("a lookup either found levels or failed");
    }
  }

  static OnCallLookup found(List<EscalationLevel> levels, int loops, String reason, Optional<String> staleNote) {
    return new OnCallLookup(levels, loops, Optional.empty(), reason, staleNote);
  }

  static OnCallLookup failed(Failure failure, String reason) {
    return new OnCallLookup(List.of(), 0, Optional.of(failure), reason, Optional.empty());
  }

  /** True when there is at least one level with a phone number to ring. */
  public boolean found() {
    return failure.isEmpty();
  }

  @Override
  public String toString() {
    return failure.map(Failure::name).orElse("FOUND " + levels.size() + " level(s)") + ": " + reason
        + staleNote.map(note -> " (" + note + ")").orElse("");
  }
}
