package phoneduty.oncall;

import com.google.appengine.api.datastore.AsyncDatastoreService;
import com.google.appengine.api.datastore.DatastoreService;
import com.google.appengine.api.datastore.Entity;
import com.google.appengine.api.datastore.EntityNotFoundException;
import com.google.appengine.api.datastore.FetchOptions;
import com.google.appengine.api.datastore.KeyFactory;
import com.google.appengine.api.datastore.Query;
import com.google.appengine.api.datastore.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The durable copy of every line's roster (Datastore kind {@value #KIND}, named by {@link
 * RosterKey#id()}), and when a call last used each line (kind {@value #USE_KIND}), which the
 * refresh reads to know which lines to keep current.
 *
 * <p>The two are separate entities so that marking a line used never overwrites a roster a
 * refresh has just written. A Datastore fault is logged and answered as "nothing held": a call
 * then asks PagerDuty, as for a new line.
 */
public final class RosterStore {

  static final String KIND = "Roster";
  static final String USE_KIND = "RosterUse";
  private static final Logger log = Logger.getLogger(RosterStore.class.getName());

  private final DatastoreService datastore;
  private final AsyncDatastoreService asyncDatastore;

  public RosterStore(DatastoreService datastore, AsyncDatastoreService asyncDatastore) {
    this.datastore = datastore;
    this.asyncDatastore = asyncDatastore;
  }

  /** The roster held for this line, if any. */
  Optional<Roster> load(RosterKey line) {
    try {
      Entity entity = datastore.get(KeyFactory.createKey(KIND, line.id()));
      return Optional.of(Roster.fromJson(((Text) entity.getProperty("roster")).getValue()));
    } catch (EntityNotFoundException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Could not read the roster of " + line.describe() + " from Datastore", e);
      return Optional.empty();
    }
  }

  /** Keeps this roster as the line's latest. */
  void save(RosterKey line, Roster roster) {
    Entity entity = new Entity(KIND, line.id());
    entity.setUnindexedProperty("policies", new ArrayList<>(line.policies()));
    entity.setUnindexedProperty("schedules", new ArrayList<>(line.schedules()));
    entity.setUnindexedProperty("roster", new Text(roster.toJson()));
    entity.setUnindexedProperty("fetchedAt", Date.from(roster.fetchedAt()));
    try {
      datastore.put(entity);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Could not keep the roster of " + line.describe() + " in Datastore", e);
    }
  }

  /**
   * Notes that a call used this line now. Asynchronous: a call never waits on it, and a mark that
   * fails only means the line is refreshed on demand until a later call marks it.
   */
  void markUsed(RosterKey line, Instant at) {
    Entity entity = new Entity(USE_KIND, line.id());
    entity.setUnindexedProperty("policies", new ArrayList<>(line.policies()));
    entity.setUnindexedProperty("schedules", new ArrayList<>(line.schedules()));
    entity.setProperty("lastUsed", Date.from(at));
    try {
      asyncDatastore.put(entity);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Could not note that " + line.describe() + " was used", e);
    }
  }

  /** The lines a call used since then, at most {@code max} of them. */
  List<RosterKey> usedSince(Instant since, int max) {
    Query query = new Query(USE_KIND).setFilter(
        new Query.FilterPredicate("lastUsed", Query.FilterOperator.GREATER_THAN_OR_EQUAL, Date.from(since)));
    List<RosterKey> lines = new ArrayList<>();
    for (Entity entity : datastore.prepare(query).asIterable(FetchOptions.Builder.withLimit(max))) {
      try {
        lines.add(RosterKey.of(strings(entity.getProperty("policies")), strings(entity.getProperty("schedules"))));
      } catch (IllegalArgumentException e) {
        log.warning("Skipped an unreadable line in use (" + entity.getKey().getName().length() + " characters)");
      }
    }
    return lines;
  }

  private static List<String> strings(Object property) {
    List<String> strings = new ArrayList<>();
    if (property instanceof Collection<?> values) {
      values.forEach(value -> strings.add(String.valueOf(value)));
    }
    return strings;
  }
}
