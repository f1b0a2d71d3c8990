package phoneduty.calllog;

import com.google.appengine.api.datastore.AsyncDatastoreService;
import com.google.appengine.api.datastore.DatastoreService;
import com.google.appengine.api.datastore.Entity;
import com.google.appengine.api.datastore.EntityNotFoundException;
import com.google.appengine.api.datastore.Key;
import com.google.appengine.api.datastore.Transaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import phoneduty.pagerduty.EventsClient;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.text.LogSafe;
import phoneduty.twilio.Caller;
import phoneduty.twilio.Webhook;

/**
 * Writes the call log as a call goes: its record when it arrives, each step of its timeline, and
 * its page's delivery. No write can fail a call or a page: a failure is logged and the call goes on.
 *
 * <p>A webhook's writes only append (a record, a step), so Twilio's answer never waits on a read.
 * They are gathered and go out as one asynchronous batch put: just before the Task Queue add of a
 * page, which it overlaps, or when the request ends; {@link #awaitWrites()} collects them then
 * ({@link PendingWritesFilter}). The delivery task, which Twilio does not wait for, updates the
 * record's page in a transaction.
 */
public final class CallLog {

  /** How long a request waits, at its end, for its call-log writes before logging them as lost. */
  static final Duration WRITE_WAIT = Duration.ofSeconds(2);
  private static final int TRANSACTION_ATTEMPTS = 3;
  private static final Logger log = Logger.getLogger(CallLog.class.getName());

  private final AsyncDatastoreService async;
  private final DatastoreService datastore;
  private final Clock clock;
  /** This request's writes: gathered, not yet sent. */
  private final ThreadLocal<List<Entity>> gathered = ThreadLocal.withInitial(ArrayList::new);
  /** This request's writes: sent, not yet known to have landed. */
  private final ThreadLocal<List<Future<?>>> sent = ThreadLocal.withInitial(ArrayList::new);

  public CallLog(AsyncDatastoreService async, DatastoreService datastore, Clock clock) {
    this.async = async;
    this.datastore = datastore;
    this.clock = clock;
  }

  /**
   * A call or text arrives on a line: its record, the line's, and the first step of its timeline,
   * gathered for this request's batch.
   *
   * @param page {@link PageStatus#QUEUED} when this webhook queues the page itself (a text)
   */
  public void arrived(Webhook webhook, String endpoint, Kind kind, PageStatus page, Step first) {
    Optional<String> sid = webhook.sid().filter(Entities::isSid);
    if (sid.isEmpty()) {
      log.warning("Not in the call log: a " + kind.label() + " to " + endpoint + " without a usable sid");
      return;
    }
    gather(() -> {
      Instant now = clock.instant();
      Caller caller = webhook.caller();
      Line line = Line.of(endpoint, webhook);
      String body = kind == Kind.TEXT ? nonNull(webhook.parameters().raw("Body")).strip() : "";
      Entity call = Entities.call(sid.get(), kind, line, caller.number().orElse(""), caller.name(), place(caller),
          body, now, page == PageStatus.QUEUED ? PageState.QUEUED : PageState.NONE);
      return List.of(call, Entities.line(line, now), Entities.step(sid.get(), now, first));
    }, "the record of " + kind.label() + " " + sid.get());
  }

  /** A step of this call's timeline, gathered for this request's batch; nothing when there is no sid. */
  public void step(String sid, Step step) {
    if (!Entities.isSid(sid)) {
      return;
    }
    gather(() -> List.of(Entities.step(sid, clock.instant(), step)), "step \"" + step.name() + "\" of " + sid);
  }

  public void step(Optional<String> sid, Step step) {
    sid.ifPresent(s -> step(s, step));
  }

  /**
   * A page is about to be queued: sends what this request gathered (a forwarded call's record), so
   * that the put overlaps the Task Queue add and lands before the delivery task reads the record.
   * The page's own steps are the delivery task's to write ({@link #delivered}).
   */
  public void beforeQueueing() {
    send();
  }

  /**
   * One delivery attempt's outcome, from the delivery task: a step, and for a trigger the record's
   * page state. The first attempt of each queued copy also writes what the webhook that queued it
   * did (the text received, the voicemail left, the page queued; the record itself if the webhook
   * wrote none), so that paging webhooks make no Datastore call; those steps are named after the
   * copy, so a retry does not write them twice. Waits for Datastore (the task is not what Twilio
   * waits for).
   *
   * @param copyId the queued copy's id ({@code QueuedEvent.copyId})
   * @param attempt 1 for the first
   */
  public void delivered(PagerDutyEvent event, String copyId, int attempt, EventsClient.Delivery delivery) {
    String sid = sid(event);
    if (!Entities.isSid(sid)) {
      return;
    }
    Instant now = clock.instant();
    String answer = delivery.status() > 0 ? "HTTP " + delivery.status() + ": " + delivery.detail() : delivery.detail();
    PageStatus status = switch (delivery.outcome()) {
      case DELIVERED -> PageStatus.DELIVERED;
      case RETRY -> PageStatus.RETRYING;
      case REJECTED -> PageStatus.FAILED;
    };
    Step step = new Step(prefix(event) + " " + status.label(), "attempt " + attempt + ": " + answer, Optional.empty());
    boolean trigger = "trigger".equals(event.action());
    try {
      EventFacts facts = new EventFacts(event);
      Instant queuedAt = facts.at().orElse(now);
      List<Step> arrival = facts.steps(prefix(event));
      List<Entity> queuedSteps = new ArrayList<>();
      for (int i = 0; i < arrival.size(); i++) {
        queuedSteps.add(Entities.step(sid, "queued-" + copyId + "-" + i, queuedAt, arrival.get(i)));
      }
      inTransaction(Entities.callKey(sid), () -> facts.record(sid, now), call -> {
        if (trigger) {
          Entities.setPage(call, new PageState(status, attempt, answer, Optional.of(now)));
        }
      }, queuedSteps, Entities.step(sid, now, step), Entities.line(facts.line(), now));
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Call log: could not record the delivery of " + event + "; the page is unaffected", e);
    }
  }

  /** The console queued a test page for this line: its record, written before the page is queued. */
  public void testPageQueued(String id, Line line, String by) {
    Instant now = clock.instant();
    try {
      datastore.put(List.of(
          Entities.call(id, Kind.TEST, line, "", Optional.empty(), Optional.empty(), "", now, PageState.QUEUED),
          Entities.step(id, now, Step.of("test page sent", "from the console by " + by))));
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Call log: could not record test page " + id + "; sending it anyway", e);
    }
  }

  /**
   * Waits (at most {@link #WRITE_WAIT} in all) for the writes this thread started, and logs any
   * that failed. Called once at the end of each request.
   */
  public void awaitWrites() {
    send();
    List<Future<?>> writes = sent.get();
    if (writes.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + WRITE_WAIT.toNanos();
    try {
      for (Future<?> write : writes) {
        try {
          write.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
          log.log(Level.WARNING, "Call log: a write failed; the call went on without it", e.getCause());
        } catch (TimeoutException e) {
          log.warning("Call log: a write took longer than " + WRITE_WAIT.toMillis() + " ms; not waiting for it");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    } finally {
      writes.clear();
    }
  }

  private void gather(Supplier<List<Entity>> entities, String what) {
    try {
      gathered.get().addAll(entities.get());
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Call log: could not write " + LogSafe.of(what) + "; the call goes on", e);
    }
  }

  /** Starts the batch put of what this request gathered. */
  private void send() {
    List<Entity> batch = gathered.get();
    if (batch.isEmpty()) {
      return;
    }
    try {
      sent.get().add(async.put(List.copyOf(batch)));
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Call log: could not write " + batch.size() + " records and steps; the call goes on", e);
    } finally {
      batch.clear();
    }
  }

  private interface Change {
    void apply(Entity call);
  }

  /**
   * Reads the record (or makes it from the event when the log has none), changes it, adds the
   * steps; and outside the transaction (another entity group) notes the line as seen.
   */
  private void inTransaction(Key key, Supplier<Entity> missing, Change change, List<Entity> queuedSteps,
      Entity attemptStep, Entity lineSeen) {
    boolean created = false;
    for (int attempt = 1; ; attempt++) {
      Transaction transaction = datastore.beginTransaction();
      try {
        Entity call;
        try {
          call = datastore.get(transaction, key);
        } catch (EntityNotFoundException e) {
          call = missing.get();
          created = true;
        }
        change.apply(call);
        List<Entity> writes = new ArrayList<>();
        writes.add(call);
        if (!queuedSteps.isEmpty() && datastore.get(transaction, List.of(queuedSteps.get(0).getKey())).isEmpty()) {
          writes.addAll(queuedSteps);
        }
        writes.add(attemptStep);
        datastore.put(transaction, writes);
        transaction.commit();
        if (created) {
          datastore.put(lineSeen);
        }
        return;
      } catch (ConcurrentModificationException e) {
        if (attempt >= TRANSACTION_ATTEMPTS) {
          throw e;
        }
      } finally {
        if (transaction.isActive()) {
          transaction.rollback();
        }
      }
    }
  }

  private static String prefix(PagerDutyEvent event) {
    return "trigger".equals(event.action()) ? "page" : event.isChange() ? "change event" : event.action();
  }

  /** The call or text an event is about: its dedup key, or, for a change event, the CallSid its key starts with. */
  private static String sid(PagerDutyEvent event) {
    String key = event.dedupKey();
    return event.isChange() && key.indexOf('-') > 0 ? key.substring(0, key.indexOf('-')) : key;
  }

  private static Optional<String> place(Caller caller) {
    StringJoiner place = new StringJoiner(", ");
    caller.city().ifPresent(place::add);
    caller.state().ifPresent(place::add);
    caller.country().ifPresent(place::add);
    return place.length() == 0 ? Optional.empty() : Optional.of(place.toString());
  }

  private static String nonNull(String text) {
    return text == null ? "" : text;
  }
}
