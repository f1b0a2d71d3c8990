package phoneduty.delivery;

import com.google.appengine.api.taskqueue.Queue;
import com.google.appengine.api.taskqueue.TaskAlreadyExistsException;
import com.google.appengine.api.taskqueue.TaskOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import phoneduty.calllog.CallLog;
import phoneduty.pagerduty.EventsClient;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.shortlink.ShortLink;
import phoneduty.shortlink.ShortLinks;
import phoneduty.text.LogSafe;
import phoneduty.text.Text;

/**
 * Hands PagerDuty events to a push task queue, so a webhook answers Twilio at once and the task
 * retries delivery with backoff until PagerDuty takes the event.
 *
 * <p>A webhook Twilio sends twice must page once. Three layers see to it: the task's name, made
 * from the event, which production Task Queue refuses to reuse for days; a claim the delivery task
 * takes in Memcache ({@link DeliveryClaims}), which also covers the local dev server, whose queue
 * forgets a name once its task has run; and the dedup key, which makes PagerDuty fold any repeat
 * that slips through into the same alert. None of them costs the webhook more than the one call
 * that queues the task.
 *
 * @param fallbackClient used only if the queue itself cannot take the task, so that even then the
 *     event is attempted once before the webhook answers
 * @param shortLinks stores an event's pending short links when it is delivered directly
 * @param callLog logs a direct delivery's outcome
 */
public record EventQueue(Queue queue, EventsClient fallbackClient, ShortLinks shortLinks, CallLog callLog) {

  public static final String QUEUE_NAME = "pagerduty-events";
  public static final String HANDLER_PATH = "/tasks/pagerduty-event";
  private static final Pattern TASK_NAME_SAFE = Pattern.compile("[A-Za-z0-9_-]{1,400}");
  private static final int ADD_ATTEMPTS = 3;
  private static final Logger log = Logger.getLogger(EventQueue.class.getName());

  /**
   * Queues the event for delivery.
   *
   * @param purpose what the event reports ("voicemail", "sms", …), part of the task name
   * @return false when the same event was queued before (a repeated webhook)
   */
  public boolean enqueue(String purpose, PagerDutyEvent event) {
    return enqueue(purpose, event, List.of());
  }

  /**
   * Queues the event with short links that its text uses and that are to be stored before it is
   * delivered (see {@link QueuedEvent}).
   *
   * @return false when the same event was queued before (a repeated webhook)
   */
  public boolean enqueue(String purpose, PagerDutyEvent event, List<ShortLink> pendingLinks) {
    return enqueue(purpose, event, pendingLinks, false);
  }

  /**
   * Queues a caller's page that may join an earlier incident: the delivery task decides (a
   * repeat, a flood), so that the webhook does not wait on the counts.
   */
  public boolean enqueueFoldable(String purpose, PagerDutyEvent event, List<ShortLink> pendingLinks) {
    return enqueue(purpose, event, pendingLinks, true);
  }

  private boolean enqueue(String purpose, PagerDutyEvent event, List<ShortLink> pendingLinks, boolean foldable) {
    QueuedEvent queued = QueuedEvent.newCopy(event, pendingLinks, foldable);
    String name = taskName(purpose, event);
    TaskOptions task =
        TaskOptions.Builder.withUrl(HANDLER_PATH)
            .method(TaskOptions.Method.POST)
            .payload(queued.toJson().getBytes(StandardCharsets.UTF_8), "application/json")
            .taskName(name);
    for (int attempt = 1; ; attempt++) {
      try {
        queue.add(task);
        // FINE: the request log records the webhook and the task logs the delivery at INFO; one
        // more line per page cost more than the enqueue itself under load.
        log.fine("Queued PagerDuty " + purpose + " event " + event);
        return true;
      } catch (TaskAlreadyExistsException e) {
        log.info("PagerDuty " + purpose + " event " + event + " was queued before; not queuing it twice");
        return false;
      } catch (RuntimeException e) {
        // TransientFailureException, InternalFailureException, an unknown queue: all leave the event unqueued.
        if (attempt < ADD_ATTEMPTS) {
          log.log(Level.WARNING, "Task Queue did not take " + event + " (attempt " + attempt + "); trying again", e);
          continue;
        }
        log.log(Level.SEVERE, "Task Queue did not take " + event + " after " + attempt
            + " attempts; delivering it directly", e);
        EventsClient.Delivery delivery = fallbackClient.send(queued.storeLinks(shortLinks));
        callLog.delivered(event, queued.copyId(), 1, delivery);
        if (delivery.outcome() == EventsClient.Delivery.Outcome.DELIVERED) {
          return true;
        }
        // Nothing is left that could retry: say so loudly, with all that is needed to page by hand.
        log.severe("LOST PAGE: " + event + " could not be queued or delivered (" + delivery
            + "); summary: " + LogSafe.of(event.summary().orElse("(none)"), PagerDutyEvent.MAX_SUMMARY_CHARS));
        throw new IllegalStateException("PagerDuty event could not be queued or delivered", e);
      }
    }
  }

  public static String taskName(String purpose, PagerDutyEvent event) {
    String key = event.dedupKey();
    if (!TASK_NAME_SAFE.matcher(key).matches()) {
      key = Text.cut(Integer.toHexString(key.hashCode()) + "-" + key.replaceAll("[^A-Za-z0-9_-]", "_"), 400);
    }
    return purpose + "-" + event.action() + "-" + key;
  }
}
