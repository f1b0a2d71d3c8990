package phoneduty.oncall;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import phoneduty.pagerduty.PagerDutyId;
import phoneduty.text.Text;

/**
 * The escalation policies and schedules one line forwards to, sorted and without repeats, so that
 * every URL naming the same set shares one roster.
 */
public record RosterKey(SortedSet<String> policies, SortedSet<String> schedules) {

  /** At most this many ids in one line: more is not a real line, and would not fit a URL. */
  static final int MAX_IDS = 50;

  public RosterKey {
    policies = Collections.unmodifiableSortedSet(new TreeSet<>(policies));
    schedules = Collections.unmodifiableSortedSet(new TreeSet<>(schedules));
    if (policies.isEmpty() && schedules.isEmpty()) {
      throw new IllegalArgumentException("No escalation policy or schedule id was given, so there is nobody to look up.");
    }
  }

  /**
   * The key of the ids a URL gives (either list may be empty or null, not both).
   *
   * @throws IllegalArgumentException saying what is wrong, in a sentence fit for the caller's incident
   */
  public static RosterKey of(List<String> policies, List<String> schedules) {
    SortedSet<String> validPolicies = validIds("escalation policy", policies);
    SortedSet<String> validSchedules = validIds("schedule", schedules);
    if (validPolicies.size() + validSchedules.size() > MAX_IDS) {
      throw new IllegalArgumentException("Too many escalation policy and schedule ids ("
          + (validPolicies.size() + validSchedules.size()) + "); at most " + MAX_IDS + " may be looked up at once.");
    }
    return new RosterKey(validPolicies, validSchedules);
  }

  /** A stable name for this set, short enough for a Datastore key and a Memcache key. */
  public String id() {
    String ids = "ep=" + String.join(",", policies) + "|sch=" + String.join(",", schedules);
    return ids.length() > 180 ? "sha256=" + Text.sha256Hex(ids) : ids;
  }

  /** "escalation policy PABC123 and schedule PDEF456", for logs and reasons. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    if (!policies.isEmpty()) {
      text.append(policies.size() == 1 ? "escalation policy " : "escalation policies ").append(String.join(", ", policies));
    }
    if (!schedules.isEmpty()) {
      text.append(text.length() > 0 ? " and " : "")
          .append(schedules.size() == 1 ? "schedule " : "schedules ").append(String.join(", ", schedules));
    }
    return text.toString();
  }

  private static SortedSet<String> validIds(String kind, List<String> ids) {
    SortedSet<String> valid = new TreeSet<>();
    for (String id : ids == null ? List.<String>of() : ids) {
      String trimmed = id == null ? "" : id.strip();
      if (!PagerDutyId.isValid(trimmed)) {
        throw new IllegalArgumentException("The " + kind + " id " + quote(id) + " is malformed:"
            + " PagerDuty ids are 2 to 20 capital letters and digits, like PABC123.");
      }
      valid.add(trimmed);
    }
    return valid;
  }

  private static String quote(String text) {
    if (text == null) {
      return "(null)";
    }
    return "\"" + Text.cutWithEllipsis(text.replaceAll("[^\\x20-\\x7E]", "?"), 41) + "\"";
  }
}
