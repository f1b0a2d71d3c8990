package phoneduty.oncall;

import com.google.appengine.api.memcache.Expiration;
import com.google.appengine.api.memcache.MemcacheService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import phoneduty.text.Text;

/**
 * On-call answers kept in Memcache: a found lookup under a key made of its sorted, deduplicated
 * ids (so a burst of calls makes one {@code /oncalls} request), and each user's phone numbers.
 * Failures are never cached. A Memcache fault is logged and the cache skipped: a lookup then asks
 * PagerDuty, it never fails for the cache's sake.
 *
 * <p>A found lookup is also kept in the instance's memory for {@link #LOCAL_TTL}, so a warm
 * {@code /forward} makes no Memcache call: in the benchmark that took the worst warm
 * {@code /forward} p99 from 2.28× to 1.81× the floor (docs/benchmarks.md). An on-call change still
 * reaches every instance within these seconds plus the Memcache TTL.
 */
public final class OnCallCache {

  static final String PREFIX = "phoneduty.oncall.v1.";
  /** How long a user's phone numbers are kept. */
  static final Duration PHONES_TTL = Duration.ofMinutes(10);
  /** How long an instance answers a repeated lookup from its own memory. */
  static final Duration LOCAL_TTL = Duration.ofSeconds(10);
  /** Ids come from Twilio URLs: a handful per deployment; never let them pile up. */
  private static final int MAX_LOCAL_ENTRIES = 256;
  private static final Logger log = Logger.getLogger(OnCallCache.class.getName());

  private final MemcacheService memcache;
  private final Duration lookupTtl;
  private final Clock clock;
  private final Map<String, Remembered> local = new ConcurrentHashMap<>();

  public OnCallCache(MemcacheService memcache, Duration lookupTtl, Clock clock) {
    this.memcache = memcache;
    this.lookupTtl = lookupTtl;
    this.clock = clock;
  }

  private record Remembered(OnCallLookup lookup, Instant expires) {}

  static String lookupKey(SortedSet<String> policies, SortedSet<String> schedules) {
    String ids = "ep=" + String.join(",", policies) + "|sch=" + String.join(",", schedules);
    return PREFIX + "lookup." + (ids.length() > 180 ? "sha256=" + Text.sha256Hex(ids) : ids);
  }

  static String phonesKey(String userId) {
    return PREFIX + "phones." + userId;
  }

  Optional<OnCallLookup> lookup(String key) {
    Remembered remembered = local.get(key);
    if (remembered != null && clock.instant().isBefore(remembered.expires())) {
      return Optional.of(remembered.lookup());
    }
    Optional<OnCallLookup> cached = fromMemcache(key);
    cached.ifPresent(found -> remember(key, found));
    return cached;
  }

  private void remember(String key, OnCallLookup found) {
    if (local.size() >= MAX_LOCAL_ENTRIES) {
      local.clear();
    }
    Duration ttl = lookupTtl.compareTo(LOCAL_TTL) < 0 ? lookupTtl : LOCAL_TTL;
    local.put(key, new Remembered(found, clock.instant().plus(ttl)));
  }

  private Optional<OnCallLookup> fromMemcache(String key) {
    Object value = get(key);
    if (!(value instanceof String)) {
      return Optional.empty();
    }
    try {
      JSONObject json = new JSONObject((String) value);
      List<EscalationLevel> levels = new ArrayList<>();
      JSONArray levelsJson = json.getJSONArray("levels");
      for (int i = 0; i < levelsJson.length(); i++) {
        JSONObject level = levelsJson.getJSONObject(i);
        List<Responder> responders = new ArrayList<>();
        JSONArray respondersJson = level.getJSONArray("responders");
        for (int j = 0; j < respondersJson.length(); j++) {
          JSONObject responder = respondersJson.getJSONObject(j);
          responders.add(new Responder(responder.getString("id"), responder.getString("name"),
              strings(responder.getJSONArray("phones"))));
        }
        levels.add(EscalationLevel.of(level.getInt("level"), responders));
      }
      return Optional.of(OnCallLookup.found(levels, json.getString("reason")));
    } catch (JSONException | IllegalArgumentException e) {
      log.warning("Ignored an unreadable cached on-call lookup (" + e.getMessage() + ")");
      return Optional.empty();
    }
  }

  void putLookup(String key, OnCallLookup found) {
    JSONArray levels = new JSONArray();
    for (EscalationLevel level : found.levels()) {
      JSONArray responders = new JSONArray();
      for (Responder responder : level.responders()) {
        responders.put(new JSONObject().put("id", responder.userId()).put("name", responder.name())
            .put("phones", new JSONArray(responder.phoneNumbers())));
      }
      levels.put(new JSONObject().put("level", level.level()).put("responders", responders));
    }
    put(key, new JSONObject().put("reason", found.reason()).put("levels", levels).toString(), lookupTtl);
    remember(key, found);
  }

  /** The cached phone numbers of those of these users that have them. */
  Map<String, List<String>> phones(Collection<String> userIds) {
    Map<String, Object> hits;
    try {
      hits = memcache.getAll(userIds.stream().map(OnCallCache::phonesKey).toList());
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Memcache getAll failed; carrying on without the cache", e);
      return Map.of();
    }
    Map<String, List<String>> phones = new LinkedHashMap<>();
    for (String userId : userIds) {
      Object hit = hits.get(phonesKey(userId));
      if (hit instanceof String) {
        try {
          phones.put(userId, strings(new JSONArray((String) hit)));
        } catch (JSONException e) {
          log.warning("Ignored an unreadable cached phone list for user " + userId);
        }
      }
    }
    return phones;
  }

  void putPhones(String userId, List<String> numbers) {
    put(phonesKey(userId), new JSONArray(numbers).toString(), PHONES_TTL);
  }

  private Object get(String key) {
    try {
      return memcache.get(key);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Memcache get failed; carrying on without the cache", e);
      return null;
    }
  }

  private void put(String key, Object value, Duration ttl) {
    try {
      memcache.put(key, value, Expiration.byDeltaMillis((int) Math.min(Integer.MAX_VALUE, ttl.toMillis())));
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Memcache put failed; carrying on without the cache", e);
    }
  }

  private static List<String> strings(JSONArray array) {
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < array.length(); i++) {
      strings.add(array.getString(i));
    }
    return strings;
  }
}
