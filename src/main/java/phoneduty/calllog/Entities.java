package phoneduty.calllog;

import com.google.appengine.api.datastore.Entity;
import com.google.appengine.api.datastore.Key;
import com.google.appengine.api.datastore.KeyFactory;
import com.google.appengine.api.datastore.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.json.JSONArray;
import org.json.JSONObject;
import phoneduty.pagerduty.RoutingKey;

/**
 * How the call log lies in Datastore: a {@value #CALL} entity per call or text (key: its sid),
 * its timeline as {@value #STEP} children (appended, never rewritten, so a webhook writes without
 * reading), and a {@value #LINE} entity per line seen. Only what the console filters or sorts on
 * is indexed.
 */
final class Entities {

  static final String CALL = "CallLog";
  static final String STEP = "CallLogStep";
  static final String LINE = "CallLogLine";

  static final String KIND = "kind";
  static final String LINE_ID = "line";
  static final String STARTED_AT = "startedAt";
  static final String PAGE = "page";
  static final String LAST_SEEN = "lastSeen";
  static final String AT = "at";
  /** The line's own number (Twilio's {@code To}): which calls and texts a responder may return. */
  static final String HOTLINE = "hotline";

  /** Twilio's sids (CA…, SM…) and the console's test ids; anything else is not logged. */
  private static final Pattern SID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

  /** Orders the steps of one instant (a request's steps share the clock's reading in tests). */
  private static final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();

  private Entities() {}

  static boolean isSid(String sid) {
    return sid != null && SID.matcher(sid).matches();
  }

  static Key callKey(String sid) {
    return KeyFactory.createKey(CALL, sid);
  }

  static Entity call(String sid, Kind kind, Line line, String from, Optional<String> callerName,
      Optional<String> place, String text, Instant startedAt, PageState page) {
    Entity call = new Entity(callKey(sid));
    call.setIndexedProperty(KIND, kind.code());
    call.setIndexedProperty(LINE_ID, line.id());
    call.setUnindexedProperty("endpoint", line.endpoint());
    call.setUnindexedProperty("keyTail", line.keyTail());
    call.setUnindexedProperty("from", from);
    call.setUnindexedProperty("callerName", callerName.orElse(null));
    call.setUnindexedProperty("place", place.orElse(null));
    call.setUnindexedProperty("text", new Text(text));
    call.setIndexedProperty(STARTED_AT, Date.from(startedAt));
    setPage(call, page);
    return call;
  }

  static void setHotline(Entity call, Optional<String> number) {
    number.filter(n -> !n.isBlank()).ifPresent(n -> call.setIndexedProperty(HOTLINE, n));
  }

  static void setPage(Entity call, PageState page) {
    call.setIndexedProperty(PAGE, page.status().code());
    call.setUnindexedProperty("pageAttempts", (long) page.attempts());
    call.setUnindexedProperty("pageAnswer", new Text(page.answer()));
    call.setUnindexedProperty("pageUpdatedAt", page.updatedAt().map(Date::from).orElse(null));
  }

  static CallEntry callEntry(Entity call) {
    return new CallEntry(call.getKey().getName(),
        Kind.parse((String) call.getProperty(KIND)).orElse(Kind.CALL),
        (String) call.getProperty(LINE_ID),
        string(call, "endpoint"),
        string(call, "keyTail"),
        string(call, "from"),
        Optional.ofNullable((String) call.getProperty("callerName")),
        Optional.ofNullable((String) call.getProperty("place")),
        text(call, "text"),
        instant(call, STARTED_AT).orElse(Instant.EPOCH),
        page(call));
  }

  static PageState page(Entity call) {
    Object attempts = call.getProperty("pageAttempts");
    return new PageState(PageStatus.parse((String) call.getProperty(PAGE)).orElse(PageStatus.NONE),
        attempts instanceof Long n ? n.intValue() : 0, text(call, "pageAnswer"), instant(call, "pageUpdatedAt"));
  }

  /** A step with a fresh name: chosen when it is gathered, so that a task's retry writes the same entity. */
  static Entity step(String sid, Instant at, Step step) {
    String name = Long.toString(at.toEpochMilli(), 36) + "-"
        + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    return step(sid, name, at, step);
  }

  /** A step with a name of its own, so that writing it again (a task's retry) changes nothing. */
  static Entity step(String sid, String name, Instant at, Step step) {
    return fill(new Entity(STEP, name, callKey(sid)), at, step);
  }

  private static Entity fill(Entity entity, Instant at, Step step) {
    entity.setIndexedProperty(AT, Date.from(at));
    entity.setUnindexedProperty("seq", sequence.incrementAndGet());
    entity.setUnindexedProperty("name", step.name());
    entity.setUnindexedProperty("detail", new Text(step.detail()));
    entity.setUnindexedProperty("link", step.link().orElse(null));
    return entity;
  }

  /** The step's place among steps of the same instant. */
  static long sequence(Entity step) {
    return step.getProperty("seq") instanceof Long n ? n : 0;
  }

  static TimelineEntry timelineEntry(Entity step) {
    return new TimelineEntry(instant(step, AT).orElse(Instant.EPOCH),
        new Step(string(step, "name"), text(step, "detail"), Optional.ofNullable((String) step.getProperty("link"))));
  }

  static Entity line(Line line, Instant seen) {
    Entity entity = new Entity(KeyFactory.createKey(LINE, line.id()));
    entity.setUnindexedProperty("endpoint", line.endpoint());
    entity.setUnindexedProperty("keyTail", line.keyTail());
    // Whole, for the console's test page only; never shown.
    entity.setUnindexedProperty("routingKey", line.key().map(RoutingKey::value).orElse(null));
    entity.setUnindexedProperty("settings", new Text(new JSONObject(line.settings()).toString()));
    entity.setUnindexedProperty("policies", new Text(new JSONArray(line.policies()).toString()));
    entity.setUnindexedProperty("schedules", new Text(new JSONArray(line.schedules()).toString()));
    entity.setIndexedProperty(LAST_SEEN, Date.from(seen));
    return entity;
  }

  static LineEntry lineEntry(Entity line) {
    JSONObject settings = new JSONObject(text(line, "settings").isEmpty() ? "{}" : text(line, "settings"));
    Map<String, String> map = new LinkedHashMap<>();
    for (String name : Line.SETTING_NAMES) {
      if (settings.has(name)) {
        map.put(name, settings.getString(name));
      }
    }
    return new LineEntry(line.getKey().getName(), string(line, "endpoint"), string(line, "keyTail"), map,
        strings(text(line, "policies")), strings(text(line, "schedules")),
        instant(line, LAST_SEEN).orElse(Instant.EPOCH));
  }

  static Optional<RoutingKey> routingKey(Entity line) {
    return RoutingKey.parse((String) line.getProperty("routingKey"));
  }

  private static List<String> strings(String json) {
    List<String> list = new ArrayList<>();
    if (!json.isEmpty()) {
      new JSONArray(json).forEach(item -> list.add(item.toString()));
    }
    return list;
  }

  private static String string(Entity entity, String name) {
    Object value = entity.getProperty(name);
    return value == null ? "" : value.toString();
  }

  private static String text(Entity entity, String name) {
    Object value = entity.getProperty(name);
    if (value instanceof Text text) {
      return text.getValue() == null ? "" : text.getValue();
    }
    return value == null ? "" : value.toString();
  }

  private static Optional<Instant> instant(Entity entity, String name) {
    Object value = entity.getProperty(name);
    return value instanceof Date date ? Optional.of(date.toInstant()) : Optional.empty();
  }
}
