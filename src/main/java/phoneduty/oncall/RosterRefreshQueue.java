package phoneduty.oncall;

import com.google.appengine.api.taskqueue.Queue;
import com.google.appengine.api.taskqueue.TaskOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import phoneduty.text.Text;

/**
 * Asks for one line's roster to be refreshed in the background:
 *
 * <ul>
 *   <li>when a call finds it older than the refresh interval: between cron runs, and wherever no
 *       cron runs (the local dev server). The call rings the roster it has meanwhile; it never
 *       waits on PagerDuty.
 *   <li>just after the next shift in it ends ({@link #requestAfterNextHandover}). A call after a
 *       handover leaves out whoever handed over ({@link Roster#onCallAt}); without this their
 *       successor would only be rung after the next minute's refresh, and until then the call
 *       would go on to the next level, or to voicemail.
 * </ul>
 */
public final class RosterRefreshQueue {

  public static final String QUEUE_NAME = "roster-refresh";
  public static final String HANDLER_PATH = "/tasks/roster-refresh";
  /** PagerDuty is asked this long after a shift ends, so that it lists the successor. */
  static final Duration AFTER_HANDOVER = Duration.ofSeconds(1);
  /** Only handovers this close are queued; the refreshes every minute queue later ones as they come near. */
  static final Duration HANDOVER_HORIZON = Duration.ofHours(1);
  /** Lines come from Twilio URLs: a handful per deployment; never let the memory of them pile up. */
  private static final int MAX_LINES_REMEMBERED = 256;
  private static final Logger log = Logger.getLogger(RosterRefreshQueue.class.getName());

  private final Queue queue;
  private final Clock clock;
  /** The handover each line's refresh was last queued for by this instance, so a refresh a minute does not queue it again. */
  private final Map<String, Instant> handoversQueued = new ConcurrentHashMap<>();

  public RosterRefreshQueue(Queue queue, Clock clock) {
    this.queue = queue;
    this.clock = clock;
  }

  /** Queues a refresh of this line, at most one a minute (the task's name says which minute). */
  void request(RosterKey line) {
    add(task(line, Long.toString(clock.millis() / 60_000)), line);
  }

  /**
   * Queues a refresh of this line for just after the earliest shift end in this roster, if that is
   * within {@link #HANDOVER_HORIZON}. The task is named by the line and the instant, so however many
   * instances and refreshes ask for it, the line is refreshed once per handover.
   */
  void requestAfterNextHandover(RosterKey line, Roster roster) {
    Instant now = clock.instant();
    Optional<Instant> next = roster.shiftEnds().values().stream().filter(end -> end.isAfter(now))
        .min(Comparator.naturalOrder());
    if (next.isEmpty() || next.get().isAfter(now.plus(HANDOVER_HORIZON))
        || next.get().equals(handoversQueued.get(line.id()))) {
      return;
    }
    if (handoversQueued.size() >= MAX_LINES_REMEMBERED) {
      handoversQueued.clear();
    }
    handoversQueued.put(line.id(), next.get());
    Instant at = next.get().plus(AFTER_HANDOVER);
    add(task(line, "handover-" + at.getEpochSecond()).etaMillis(at.toEpochMilli()), line);
  }

  private static TaskOptions task(RosterKey line, String suffix) {
    TaskOptions task = TaskOptions.Builder.withUrl(HANDLER_PATH).method(TaskOptions.Method.POST)
        .taskName("roster-" + Text.sha256Hex(line.id()).substring(0, 24) + "-" + suffix);
    line.policies().forEach(id -> task.param("escalation_policy", id));
    line.schedules().forEach(id -> task.param("schedule", id));
    return task;
  }

  private void add(TaskOptions task, RosterKey line) {
    try {
      // Not waited for: a refresh that fails to queue (or was queued already under its name) leaves
      // the roster to the cron refresh, and neither a call nor a refresh must wait on the queue for it.
      queue.addAsync(task);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Could not queue a refresh of the roster of " + line.describe()
          + "; the cron refresh will do it", e);
    }
  }
}
