package phoneduty.delivery;

import java.util.logging.Logger;
import phoneduty.abuse.Folding;
import phoneduty.calllog.CallLog;
import phoneduty.pagerduty.EventsClient;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.shortlink.ShortLinks;
import phoneduty.text.LogSafe;

/**
 * Delivers one queued event to PagerDuty and says whether Task Queue should try again: a body
 * that cannot be read, a copy that another copy already delivers, and an event PagerDuty refuses
 * for good all end the task; a delivery that may succeed later, and an acknowledge whose trigger
 * PagerDuty has not taken yet, ask for a retry.
 */
public record DeliveryTask(EventsClient client, ShortLinks shortLinks, DeliveryClaims claims, CallLog callLog,
    Folding folding) {

  private static final Logger log = Logger.getLogger(DeliveryTask.class.getName());
  /**
   * How many attempts an acknowledge waits for its trigger (about 100 minutes of queue.xml's
   * backoff); past that it goes anyway, and at worst PagerDuty drops it as it would have.
   */
  static final int ACKNOWLEDGE_WAITS = 30;

  /** What the task handler answers: done (2xx) or retry (503), and a line for the task's log. */
  public record Result(boolean retry, String text) {}

  /**
   * @param taskName Task Queue's name for the task, or null
   * @param retryCount Task Queue's retry count header, or null
   */
  public Result run(String taskName, String retryCount, String body) {
    String attempt = "task " + LogSafe.of(taskName) + ", retry " + LogSafe.of(retryCount);
    QueuedEvent queued;
    try {
      queued = QueuedEvent.fromJson(body);
    } catch (IllegalArgumentException e) {
      // A body we cannot read will not become readable by retrying; drop it loudly.
      log.severe("Dropped " + attempt + ": its body is not a PagerDuty event (" + LogSafe.of(e.getMessage()) + ")");
      return new Result(false, "not a PagerDuty event");
    }
    if (taskName != null && !claims.claim(taskName, queued.copyId())) {
      log.info("Skipped " + attempt + ": another copy of " + queued.event()
          + " was delivered or is being delivered (Twilio repeated the webhook)");
      return new Result(false, "delivered by another copy");
    }
    // PagerDuty drops an acknowledge that finds no open alert: one that overtook its trigger (a
    // trigger PagerDuty answered 429 or 5xx is retried later) waits for it.
    if ("acknowledge".equals(queued.event().action()) && attemptNumber(retryCount) <= ACKNOWLEDGE_WAITS
        && !claims.wasTriggerTaken(queued.event())) {
      log.info("Held " + attempt + ": " + queued.event() + " waits until PagerDuty has taken its trigger");
      return new Result(true, "waiting for its trigger");
    }
    PagerDutyEvent event = queued.storeLinks(shortLinks);
    if (queued.foldable()) {
      event = folding.apply(event);
    }
    EventsClient.Delivery delivery = client.send(event);
    callLog.delivered(event, queued.copyId(), attemptNumber(retryCount), delivery);
    if (delivery.outcome() == EventsClient.Delivery.Outcome.DELIVERED && "trigger".equals(event.action())) {
      claims.triggerTaken(queued.event());
    }
    switch (delivery.outcome()) {
      case DELIVERED -> log.info("Delivered " + event + " to PagerDuty (" + attempt + ")");
      case REJECTED -> log.severe("PagerDuty refused " + event + " for good (" + attempt + "): " + delivery
          + "; summary was: " + LogSafe.of(event.summary().orElse("(none)"), PagerDutyEvent.MAX_SUMMARY_CHARS));
      case RETRY -> log.warning("Will retry " + event + " (" + attempt + "): " + delivery);
    }
    return new Result(delivery.outcome() == EventsClient.Delivery.Outcome.RETRY, delivery.toString());
  }

  /** 1 for the first attempt: Task Queue counts retries from 0. */
  static int attemptNumber(String retryCount) {
    try {
      return retryCount == null ? 1 : Math.max(0, Integer.parseInt(retryCount.trim())) + 1;
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
