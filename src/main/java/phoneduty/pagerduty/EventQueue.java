package phoneduty.pagerduty;

import com.google.appengine.api.memcache.Expiration;
import com.google.appengine.api.memcache.MemcacheService;
import com.google.appengine.api.memcache.MemcacheServiceFactory;
import com.google.appengine.api.taskqueue.Queue;
import com.google.appengine.api.taskqueue.QueueFactory;
import com.google.appengine.api.taskqueue.TaskAlreadyExistsException;
import com.google.appengine.api.taskqueue.TaskOptions;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import phoneduty.Settings;

/**
 * Hands PagerDuty events to a push task queue, so a webhook answers Twilio at once and the task
 * retries delivery with backoff until PagerDuty takes the event.
 *
 * <p>Each task is named after the event (action, purpose and dedup key). Task Queue refuses a
 * second task of the same name, even days after the first ran, so a webhook Twilio sends twice
 * queues one delivery; the dedup key makes PagerDuty fold any repeat into the same alert.
 *
 * <p>Task names alone do not always stop a repeat: the local dev server forgets a name as soon
 * as its task has run (the fault drill caught Twilio's second copy of a webhook, arriving after
 * the first was delivered, being queued and delivered again), and a name is only as good as the
 * Task Queue's memory of it. So each event is also claimed first in Memcache with an atomic
 * add-if-absent under the task name: a repeat that finds the claim is not queued. The claim is
 * dropped again if the event could not be queued, so Twilio's retry of a failed webhook still
 * pages. If Memcache fails or forgets, the task name is the guard, as before.
 */
public final class EventQueue {

  public static final String QUEUE_NAME = "pagerduty-events";
  public static final String HANDLER_PATH = "/tasks/pagerduty-event";
  private static final Pattern TASK_NAME_SAFE = Pattern.compile("[A-Za-z0-9_-]{1,400}");
  private static final int ADD_ATTEMPTS = 3;
  /** As long as Task Queue remembers a task name: Twilio's repeats come within minutes. */
  static final Expiration CLAIM_EXPIRY = Expiration.byDeltaSeconds(7 * 24 * 3600);
  static final String CLAIM_PREFIX = "phoneduty.event-queued.v1.";
  private static final Logger log = Logger.getLogger(EventQueue.class.getName());

  private final Queue queue;
  private final EventsClient fallbackClient;
  private final MemcacheService claims;

  public EventQueue() {
    this(QueueFactory.getQueue(QUEUE_NAME), new EventsClient(Settings.current()),
        MemcacheServiceFactory.getMemcacheService());
  }

  public EventQueue(Queue queue, EventsClient fallbackClient) {
    this(queue, fallbackClient, MemcacheServiceFactory.getMemcacheService());
  }

  /**
   * @param fallbackClient used only if the queue itself cannot take the task, so that even then
   *     the event is attempted once before the webhook answers
   */
  public EventQueue(Queue queue, EventsClient fallbackClient, MemcacheService claims) {
    this.queue = queue;
    this.fallbackClient = fallbackClient;
    this.claims = claims;
  }

  /**
   * Queues the event for delivery.
   *
   * @param purpose what the event reports ("voicemail", "sms", …), part of the task name
   * @return false when the same event was queued before (a repeated webhook)
   */
  public boolean enqueue(String purpose, PagerDutyEvent event) {
    String name = taskName(purpose, event);
    if (!claim(name)) {
      log.info("PagerDuty " + purpose + " event " + event + " was queued before; not queuing it twice");
      return false;
    }
    try {
      return add(purpose, event, name);
    } catch (RuntimeException notQueued) {
      unclaim(name); // so that Twilio's retry of this webhook can queue it
      throw notQueued;
    }
  }

  /** True unless Memcache says this task was queued already; Memcache failing counts as true. */
  private boolean claim(String name) {
    try {
      return claims.put(CLAIM_PREFIX + name, Boolean.TRUE, CLAIM_EXPIRY,
          MemcacheService.SetPolicy.ADD_ONLY_IF_NOT_PRESENT);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Memcache failed; relying on the task name alone against repeats", e);
      return true;
    }
  }

  private void unclaim(String name) {
    try {
      claims.delete(CLAIM_PREFIX + name);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Memcache failed to drop the claim of " + name, e);
    }
  }

  private boolean add(String purpose, PagerDutyEvent event, String name) {
    TaskOptions task =
        TaskOptions.Builder.withUrl(HANDLER_PATH)
            .method(TaskOptions.Method.POST)
            .payload(event.toJson().getBytes(StandardCharsets.UTF_8), "application/json")
            .taskName(name);
    for (int attempt = 1; ; attempt++) {
      try {
        queue.add(task);
        log.info("Queued PagerDuty " + purpose + " event " + event);
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
        EventsClient.Delivery delivery = fallbackClient.send(event);
        if (delivery.outcome() == EventsClient.Delivery.Outcome.DELIVERED) {
          return true;
        }
        // Nothing is left that could retry: say so loudly, with all that is needed to page by hand.
        log.severe("LOST PAGE: " + event + " could not be queued or delivered (" + delivery
            + "); summary: " + event.summary().orElse("(none)"));
        throw new IllegalStateException("PagerDuty event could not be queued or delivered", e);
      }
    }
  }

  static String taskName(String purpose, PagerDutyEvent event) {
    String key = event.dedupKey();
    if (!TASK_NAME_SAFE.matcher(key).matches()) {
      key = Integer.toHexString(key.hashCode()) + "-" + key.replaceAll("[^A-Za-z0-9_-]", "_");
      key = key.length() > 400 ? key.substring(0, 400) : key;
    }
    return purpose + "-" + event.action() + "-" + key;
  }
}
