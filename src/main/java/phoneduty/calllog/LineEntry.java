package phoneduty.calllog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A line as the call log remembers it, for the console: never with its whole service key (the
 * test page reads that apart, {@link CallLogReader#routingKey}).
 */
public record LineEntry(String id, String endpoint, String keyTail, Map<String, String> settings,
    List<String> policies, List<String> schedules, Instant lastSeen) {

  /** Whether the line's URL has a usable service key (and so can take a test page). */
  public boolean hasKey() {
    return keyTail.startsWith("…");
  }

  /** A forwarding line, which has a roster to show. */
  public boolean forwards() {
    return !policies.isEmpty() || !schedules.isEmpty();
  }
}
