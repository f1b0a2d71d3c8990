package phoneduty.delivery;

import com.google.appengine.api.memcache.Expiration;
import com.google.appengine.api.memcache.MemcacheService;
import java.util.logging.Level;
import java.util.logging.Logger;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.text.Text;

/**
 * Lets one queued copy of an event deliver it. The first copy to run claims the event's task name
 * in Memcache with its copy id; its own retries find their id there and go on, while a second copy
 * (queued by a repeated webhook after the first one's name was forgotten, as the local dev
 * server's queue does once a task has run) finds another id and stands down.
 *
 * <p>The claim is taken by the delivery task, not by the webhook, so Twilio's answer does not wait
 * on Memcache. If Memcache fails or forgets, the copy delivers: PagerDuty's dedup key folds a
 * repeat into the same alert, and a lost page is worse than a repeated one.
 */
public final class DeliveryClaims {

  /** As long as Task Queue retries a task (queue.xml's task age limit). */
  private static final Expiration LIFETIME = Expiration.byDeltaSeconds(7 * 24 * 3600);
  private static final Logger log = Logger.getLogger(DeliveryClaims.class.getName());

  private final MemcacheService memcache;

  public DeliveryClaims(MemcacheService memcache) {
    this.memcache = memcache;
  }

  /** True if this copy may deliver the event: it holds the claim, or nobody else does. */
  public boolean claim(String taskName, String copyId) {
    String key = "delivering:" + taskName;
    try {
      if (memcache.put(key, copyId, LIFETIME, MemcacheService.SetPolicy.ADD_ONLY_IF_NOT_PRESENT)) {
        return true;
      }
      Object holder = memcache.get(key);
      return holder == null || copyId.equals(holder);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Memcache unavailable; delivering " + taskName + " without a claim", e);
      return true;
    }
  }

  /**
   * Notes that PagerDuty took this trigger, so that an acknowledge of the same alert may follow
   * ({@link #wasTriggerTaken}).
   */
  public void triggerTaken(PagerDutyEvent trigger) {
    try {
      memcache.put(takenKey(trigger), Boolean.TRUE, LIFETIME);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Memcache unavailable; an acknowledge of " + trigger + " will wait its turn out", e);
    }
  }

  /** Whether PagerDuty took the trigger of the alert this event is about; true when Memcache cannot say. */
  public boolean wasTriggerTaken(PagerDutyEvent event) {
    try {
      return memcache.get(takenKey(event)) != null;
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Memcache unavailable; sending " + event + " without knowing its trigger went out", e);
      return true;
    }
  }

  private static String takenKey(PagerDutyEvent event) {
    return "trigger-taken:" + Text.sha256Hex(event.routingKey().value() + "\n" + event.dedupKey());
  }
}
