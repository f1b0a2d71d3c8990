package phoneduty.calllog;

import com.google.appengine.api.datastore.Cursor;
import com.google.appengine.api.datastore.DatastoreService;
import com.google.appengine.api.datastore.Entity;
import com.google.appengine.api.datastore.EntityNotFoundException;
import com.google.appengine.api.datastore.FetchOptions;
import com.google.appengine.api.datastore.KeyFactory;
import com.google.appengine.api.datastore.Query;
import com.google.appengine.api.datastore.QueryResultIterator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import phoneduty.pagerduty.RoutingKey;

/**
 * Reads the call log for the console. Lists page with Datastore cursors (the query's own
 * position, safe to put in a link), newest first.
 */
public final class CallLogReader {

  /** More lines than any deployment has; the dashboard shows them all. */
  static final int MAX_LINES = 500;
  /** Calls of one line counted for the dashboard, at most (a week of a very busy line). */
  static final int MAX_COUNTED = 2000;

  private final DatastoreService datastore;

  public CallLogReader(DatastoreService datastore) {
    this.datastore = datastore;
  }

  /** What to list: each filter empty when not used. */
  public record Filter(Optional<String> lineId, Optional<Kind> kind, Optional<PageStatus> outcome) {
    public static final Filter ALL = new Filter(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** One page of the log, and the cursor of the next page when there is one. */
  public record Page(List<CallEntry> calls, Optional<String> next) {}

  /**
   * The calls and texts that match, newest first, from the cursor on.
   *
   * @throws IllegalArgumentException if the cursor is not one this reader gave out
   */
  public Page list(Filter filter, Optional<String> cursor, int size) {
    Query query = new Query(Entities.CALL).addSort(Entities.STARTED_AT, Query.SortDirection.DESCENDING);
    List<Query.Filter> filters = new ArrayList<>();
    filter.lineId().ifPresent(id -> filters.add(equal(Entities.LINE_ID, id)));
    filter.kind().ifPresent(kind -> filters.add(equal(Entities.KIND, kind.code())));
    filter.outcome().ifPresent(status -> filters.add(equal(Entities.PAGE, status.code())));
    if (filters.size() == 1) {
      query.setFilter(filters.get(0));
    } else if (filters.size() > 1) {
      query.setFilter(Query.CompositeFilterOperator.and(filters));
    }
    FetchOptions options = FetchOptions.Builder.withLimit(size);
    cursor.ifPresent(c -> options.startCursor(Cursor.fromWebSafeString(c)));
    QueryResultIterator<Entity> results = datastore.prepare(query).asQueryResultIterator(options);
    List<CallEntry> calls = new ArrayList<>();
    while (results.hasNext()) {
      calls.add(Entities.callEntry(results.next()));
    }
    Optional<String> next = Optional.empty();
    if (calls.size() == size) {
      Cursor end = results.getCursor();
      // One more entity past the end means there is a next page.
      if (end != null && !datastore.prepare(query)
          .asList(FetchOptions.Builder.withLimit(1).startCursor(end)).isEmpty()) {
        next = Optional.of(end.toWebSafeString());
      }
    }
    return new Page(calls, next);
  }

  /**
   * The calls and texts to this line's own number since then, newest first: the contacts a
   * responder may call or text back.
   */
  public List<CallEntry> recentContacts(String hotline, Instant since, int limit) {
    Query query = new Query(Entities.CALL)
        .setFilter(Query.CompositeFilterOperator.and(equal(Entities.HOTLINE, hotline),
            new Query.FilterPredicate(Entities.STARTED_AT, Query.FilterOperator.GREATER_THAN_OR_EQUAL, Date.from(since))))
        .addSort(Entities.STARTED_AT, Query.SortDirection.DESCENDING);
    return datastore.prepare(query).asList(FetchOptions.Builder.withLimit(limit)).stream()
        .map(Entities::callEntry).toList();
  }

  /** Whether this call or text was to this line's own number (for a call-back's last check). */
  public boolean wasTo(String sid, String hotline) {
    try {
      return hotline.equals(datastore.get(Entities.callKey(sid)).getProperty(Entities.HOTLINE));
    } catch (EntityNotFoundException | IllegalArgumentException e) {
      return false;
    }
  }

  public Optional<CallEntry> find(String sid) {
    if (!Entities.isSid(sid)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Entities.callEntry(datastore.get(Entities.callKey(sid))));
    } catch (EntityNotFoundException e) {
      return Optional.empty();
    }
  }

  /** The call's steps, oldest first. */
  public List<TimelineEntry> timeline(String sid) {
    if (!Entities.isSid(sid)) {
      return List.of();
    }
    Query query = new Query(Entities.STEP).setAncestor(Entities.callKey(sid));
    List<Entity> steps = new ArrayList<>(datastore.prepare(query).asList(FetchOptions.Builder.withDefaults()));
    // Sorted here: a sort in the ancestor query would need a composite index for a handful of steps.
    steps.sort(Comparator.comparing((Entity step) -> Entities.timelineEntry(step).at())
        .thenComparingLong(Entities::sequence));
    return steps.stream().map(Entities::timelineEntry).toList();
  }

  /** Every line seen within the retention, most recently seen first. */
  public List<LineEntry> lines() {
    Query query = new Query(Entities.LINE).addSort(Entities.LAST_SEEN, Query.SortDirection.DESCENDING);
    List<LineEntry> lines = new ArrayList<>();
    for (Entity line : datastore.prepare(query).asList(FetchOptions.Builder.withLimit(MAX_LINES))) {
      lines.add(Entities.lineEntry(line));
    }
    return lines;
  }

  public Optional<LineEntry> line(String lineId) {
    return lineEntity(lineId).map(Entities::lineEntry);
  }

  /** The line's whole service key, for a test page only. */
  public Optional<RoutingKey> routingKey(String lineId) {
    return lineEntity(lineId).flatMap(Entities::routingKey);
  }

  /** The line's calls and texts since then, newest first. */
  public List<CallEntry> since(String lineId, Instant since) {
    Query query = new Query(Entities.CALL)
        .setFilter(Query.CompositeFilterOperator.and(
            equal(Entities.LINE_ID, lineId),
            new Query.FilterPredicate(Entities.STARTED_AT, Query.FilterOperator.GREATER_THAN_OR_EQUAL,
                Date.from(since))))
        .addSort(Entities.STARTED_AT, Query.SortDirection.DESCENDING);
    List<CallEntry> calls = new ArrayList<>();
    for (Entity call : datastore.prepare(query).asList(FetchOptions.Builder.withLimit(MAX_COUNTED))) {
      calls.add(Entities.callEntry(call));
    }
    return calls;
  }

  private Optional<Entity> lineEntity(String lineId) {
    if (!Entities.isSid(lineId)) {
      return Optional.empty();
    }
    try {
      return Optional.of(datastore.get(KeyFactory.createKey(Entities.LINE, lineId)));
    } catch (EntityNotFoundException e) {
      return Optional.empty();
    }
  }

  private static Query.Filter equal(String property, String value) {
    return new Query.FilterPredicate(property, Query.FilterOperator.EQUAL, value);
  }
}
