package phoneduty.oncall;

import java.util.List;
import java.util.Optional;

/** Reads the roster phoneduty holds for a line, without asking PagerDuty (for the console). */
public interface RosterView {

  /** The latest roster held for these escalation policies and schedules, if any. */
  Optional<Roster> latest(List<String> escalationPolicyIds, List<String> scheduleIds);
}
