package phoneduty.oncall;

import com.google.appengine.api.taskqueue.Queue;
import com.google.appengine.api.taskqueue.TaskOptions;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;
import phoneduty.text.Text;

/**
 * Asks for one line's roster to be refreshed in the background, when a call finds it older than
 * the refresh interval: between cron runs, and wherever no cron runs (the local dev server). The
 * call rings the roster it has meanwhile; it never waits on PagerDuty.
 */
public final class RosterRefreshQueue {

  public static final String QUEUE_NAME = "roster-refresh";
  public static final String HANDLER_PATH = "/tasks/roster-refresh";
  private static final Logger log = Logger.getLogger(RosterRefreshQueue.class.getName());

  private final Queue queue;
  private final Clock clock;

  public RosterRefreshQueue(Queue queue, Clock clock) {
    this.queue = queue;
    this.clock = clock;
  }

  /** Queues a refresh of this line, at most one a minute (the task's name says which minute). */
  void request(RosterKey line) {
    TaskOptions task = TaskOptions.Builder.withUrl(HANDLER_PATH).method(TaskOptions.Method.POST)
        .taskName("roster-" + Text.sha256Hex(line.id()).substring(0, 24) + "-" + clock.millis() / 60_000);
    line.policies().forEach(id -> task.param("escalation_policy", id));
    line.schedules().forEach(id -> task.param("schedule", id));
    try {
      // Not waited for: a refresh that fails to queue (or was queued this minute already) leaves the
      // roster to the cron refresh, and the call must not wait on the queue for it.
      queue.addAsync(task);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Could not queue a refresh of the roster of " + line.describe()
          + "; the cron refresh will do it", e);
    }
  }
}
