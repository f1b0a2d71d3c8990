package phoneduty.console;

import java.time.Clock;
import java.util.Optional;
import phoneduty.calllog.CallLog;
import phoneduty.calllog.CallLogReader;
import phoneduty.calllog.Line;
import phoneduty.calllog.LineEntry;
import phoneduty.calllog.TestIds;
import phoneduty.delivery.EventQueue;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.pagerduty.Severity;

/**
 * Sends a line's service a clearly marked test page through the same queue as every page, and
 * logs it like a call, so the console shows whether PagerDuty accepted it.
 */
public record TestPager(EventQueue queue, CallLog callLog, CallLogReader reader, Clock clock) {

  public static final String SUMMARY_PREFIX = "TEST: ";

  /** The test page's id in the call log; empty when the line is unknown or has no valid key. */
  public Optional<String> send(String lineId, String by) {
    Optional<LineEntry> line = reader.line(lineId);
    Optional<RoutingKey> key = reader.routingKey(lineId);
    if (line.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    LineEntry entry = line.get();
    String id = TestIds.next();
    callLog.testPageQueued(id, new Line(entry.endpoint(), key, entry.settings(), entry.policies(), entry.schedules()),
        by);
    queue.enqueue("test", PagerDutyEvent.trigger(key.get(), id)
        .summary(SUMMARY_PREFIX + "phoneduty console test page for the line " + entry.endpoint() + " (key "
            + entry.keyTail() + "), sent by " + by + ". No action needed.")
        .source("phoneduty console")
        .classify(Severity.INFO, "console", "test page", clock.instant())
        .detail("test", true)
        .detail("sent_by", by)
        .build());
    return Optional.of(id);
  }
}
