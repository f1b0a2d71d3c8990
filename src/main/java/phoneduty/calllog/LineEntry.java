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

  /** A forwarding line, which has a roster to show. */
  public boolean forwards() {
    return !policies.isEmpty() || !schedules.isEmpty();
  }
}
