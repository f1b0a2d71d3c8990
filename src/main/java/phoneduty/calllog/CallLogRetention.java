package phoneduty.calllog;

import com.google.appengine.api.datastore.DatastoreService;
import com.google.appengine.api.datastore.Entity;
import com.google.appengine.api.datastore.FetchOptions;
import com.google.appengine.api.datastore.Key;
import com.google.appengine.api.datastore.Query;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.logging.Logger;

/**
 * Deletes what the call log holds past its retention ({@code CALL_LOG_DAYS}): calls and texts
 * that started before then, with their timelines, and lines not seen since. Run daily by cron.
 */
public final class CallLogRetention {

  /** Datastore deletes at most 500 keys per call. */
  static final int BATCH = 500;
  private static final Logger log = Logger.getLogger(CallLogRetention.class.getName());

  private final DatastoreService datastore;
  private final Duration retention;
  private final Clock clock;

  public CallLogRetention(DatastoreService datastore, Duration retention, Clock clock) {
    this.datastore = datastore;
    this.retention = retention;
    this.clock = clock;
  }

  /** What one run deleted. */
  public record Deleted(int calls, int steps, int lines) {}

  public Deleted run() {
    Date cutoff = Date.from(clock.instant().minus(retention));
    int calls = 0;
    int steps = 0;
    List<Key> old;
    do {
      old = keys(new Query(Entities.CALL).setFilter(
          new Query.FilterPredicate(Entities.STARTED_AT, Query.FilterOperator.LESS_THAN, cutoff)));
      for (Key call : old) {
        List<Key> timeline = keys(new Query(Entities.STEP).setAncestor(call));
        datastore.delete(timeline);
        steps += timeline.size();
      }
      datastore.delete(old);
      calls += old.size();
    } while (old.size() == BATCH);
    int lines = 0;
    do {
      old = keys(new Query(Entities.LINE).setFilter(
          new Query.FilterPredicate(Entities.LAST_SEEN, Query.FilterOperator.LESS_THAN, cutoff)));
      datastore.delete(old);
      lines += old.size();
    } while (old.size() == BATCH);
    Deleted deleted = new Deleted(calls, steps, lines);
    log.info("Call log retention (" + retention.toDays() + " days, before " + Instant.ofEpochMilli(cutoff.getTime())
        + "): deleted " + deleted);
    return deleted;
  }

  private List<Key> keys(Query query) {
    List<Key> keys = new ArrayList<>();
    for (Entity entity : datastore.prepare(query.setKeysOnly()).asList(FetchOptions.Builder.withLimit(BATCH))) {
      keys.add(entity.getKey());
    }
    return keys;
  }
}
