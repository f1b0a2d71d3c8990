package phoneduty.oncall;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The latest on-call answer phoneduty holds for one line's escalation policies and schedules, and
 * when PagerDuty gave it. An answer of "nobody on call" (or nobody with a phone number) is a
 * roster too: it has no levels and says why in {@code reason}.
 *
 * @param levels escalation order, level 1 first; only levels with at least one phone number
 * @param loops how many more times to go round all levels after the last (the escalation
 *     policy's {@code num_loops}; 0 for schedules)
 * @param reason what PagerDuty's answer was, in one sentence fit for logs and incidents
 * @param fetchedAt when PagerDuty gave this answer
 */
public record Roster(List<EscalationLevel> levels, int loops, String reason, Instant fetchedAt) {

  public Roster {
    levels = List.copyOf(levels);
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
    if (loops < 0) {
      throw new IllegalArgumentException("loops " + loops);
    }
  }

  /** True when there is someone to ring. */
  public boolean anyoneToRing() {
    return !levels.isEmpty();
  }
}
