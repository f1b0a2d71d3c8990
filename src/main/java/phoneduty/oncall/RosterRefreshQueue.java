package phoneduty.oncall;

import com.google.appengine.api.taskqueue.Queue;
import com.google.appengine.api.taskqueue.TaskOptions;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Asks for the rosters of the lines in use to be refreshed in the background, when a call finds
 * its line's roster older than the refresh interval: between cron runs, and wherever no cron runs
 * (the local dev server). The call rings the roster it has meanwhile; it never waits on PagerDuty.
 *
 * <p>The task refreshes every line in use, as the cron run does, not only the caller's: one
 * {@code /oncalls} listing for all of them, and one task a minute however many lines are due, so
 * most calls on a stale line queue nothing (docs/benchmarks.md).
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

  /** Queues a refresh of every line in use, at most one a minute (the task's name says which minute). */
  void request() {
    TaskOptions task = TaskOptions.Builder.withUrl(HANDLER_PATH).method(TaskOptions.Method.POST)
        .taskName("rosters-" + clock.millis() / 60_000);
    try {
      // Not waited for: a refresh that fails to queue (or was queued this minute already) leaves the
      // roster to the cron refresh, and the call must not wait on the queue for it.
      queue.addAsync(task);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Could not queue a refresh of the rosters; the cron refresh will do it", e);
    }
  }
}
