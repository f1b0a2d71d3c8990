package phoneduty.calllog;

import com.google.appengine.api.datastore.DatastoreService;
import com.google.appengine.api.datastore.Entity;
import com.google.appengine.api.taskqueue.Queue;
import com.google.appengine.api.taskqueue.TaskOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
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
 * <p>Twilio's answer never waits on Datastore. A webhook's records and steps are gathered and, when
 * the request ends ({@link #queueWrites()}, from {@link PendingWritesFilter}), go out as one task on
 * the {@value #QUEUE_NAME} queue, whose handler writes them ({@link #writeQueued}): one Task Queue
 * add, as a page costs, instead of a Datastore put. The delivery task, which Twilio does not wait
 * for either, updates the record's page ({@link #delivered}).
 */
public final class CallLog {

  public static final String QUEUE_NAME = "call-log";
  public static final String HANDLER_PATH = "/tasks/call-log";
  private static final Logger log = Logger.getLogger(CallLog.class.getName());

  private final Queue queue;
  private final CallRecords records;
  private final Clock clock;
  /** This request's writes, gathered, not yet queued. */
  private final ThreadLocal<List<Entity>> gathered = ThreadLocal.withInitial(ArrayList::new);

  public CallLog(Queue queue, DatastoreService datastore, Clock clock) {
    this.queue = queue;
    this.records = new CallRecords(datastore);
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
      Entities.setHotline(call, webhook.line());
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
      records.update(Entities.callKey(sid), () -> facts.record(sid, now), call -> {
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
      records.put(List.of(
          Entities.call(id, Kind.TEST, line, "", Optional.empty(), Optional.empty(), "", now, PageState.QUEUED),
          Entities.step(id, now, Step.of("test page sent", "from the console by " + by))));
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Call log: could not record test page " + id + "; sending it anyway", e);
    }
  }

  /**
   * Queues what this request gathered as one {@value #QUEUE_NAME} task. Called once at the end of
   * each request. If Task Queue refuses it, writes it directly rather than lose it.
   */
  public void queueWrites() {
    List<Entity> batch = gathered.get();
    if (batch.isEmpty()) {
      return;
    }
    List<Entity> writes = List.copyOf(batch);
    batch.clear();
    try {
      queue.add(TaskOptions.Builder.withUrl(HANDLER_PATH).method(TaskOptions.Method.POST)
          .payload(QueuedWrites.encode(writes), "application/octet-stream"));
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Call log: Task Queue did not take " + writes.size()
          + " records and steps; writing them now", e);
      try {
        records.writeQueued(writes);
      } catch (RuntimeException again) {
        log.log(Level.WARNING, "Call log: could not write " + writes.size()
            + " records and steps; the call went on without them", again);
      }
    }
  }

  /**
   * The {@value #QUEUE_NAME} task: writes the records and steps one request queued.
   *
   * @throws IllegalArgumentException when the body is not a queued batch (it never will be)
   * @throws RuntimeException when Datastore fails, so that Task Queue tries again
   */
  public int writeQueued(byte[] body) {
    List<Entity> writes = QueuedWrites.decode(body);
    records.writeQueued(writes);
    return writes.size();
  }

  private void gather(Supplier<List<Entity>> entities, String what) {
    try {
      gathered.get().addAll(entities.get());
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Call log: could not write " + LogSafe.of(what) + "; the call goes on", e);
    }
  }

  private static String prefix(PagerDutyEvent event) {
    return "trigger".equals(event.action()) ? "page" : event.isChange() ? "change event" : event.action();
  }

  /**
   * The call or text an event is about: the sid in its details (a repeat's event carries the first
   * contact's dedup key), else its dedup key, or, for a change event, the CallSid its key starts with.
   */
  private static String sid(PagerDutyEvent event) {
    Optional<String> own = new EventFacts(event).contactSid();
    if (own.isPresent()) {
      return own.get();
    }
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
