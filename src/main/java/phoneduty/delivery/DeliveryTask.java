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
 * for good all end the task; only a delivery that may succeed later asks for a retry.
 */
public record DeliveryTask(EventsClient client, ShortLinks shortLinks, DeliveryClaims claims, CallLog callLog,
    Folding folding) {

  private static final Logger log = Logger.getLogger(DeliveryTask.class.getName());

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
    PagerDutyEvent event = queued.storeLinks(shortLinks);
    if (queued.foldable()) {
      event = folding.apply(event);
    }
    EventsClient.Delivery delivery = client.send(event);
    callLog.delivered(event, queued.copyId(), attemptNumber(retryCount), delivery);
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
