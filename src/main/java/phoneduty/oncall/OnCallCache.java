package phoneduty.oncall;

import com.google.appengine.api.memcache.AsyncMemcacheService;
import com.google.appengine.api.memcache.Expiration;
import com.google.appengine.api.memcache.MemcacheService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import phoneduty.text.LogSafe;

/**
 * Rosters kept in Memcache (the Datastore's {@link RosterStore} is their durable copy) under the
 * line's {@link RosterKey#id()}, each user's contact numbers, and each escalation policy's {@code
 * num_loops}. A Memcache fault is logged and the cache skipped: a call then reads the Datastore,
 * it never fails for the cache's sake.
 *
 * <p>A roster is also kept in the instance's memory for {@link #LOCAL_TTL}, so a warm {@code
 * /forward} makes no Memcache call: in the benchmark that took the worst warm {@code /forward} p99
 * from 2.28× to 1.81× the floor (docs/benchmarks.md). A roster change still reaches every instance
 * within these seconds, since every refresh writes through to Memcache.
 */
public final class OnCallCache {

  static final String PREFIX = "phoneduty.oncall.v2.";
  /** How long a user's contact numbers are kept: contact methods change far less often than who is on call. */
  static final Duration CONTACTS_TTL = Duration.ofMinutes(10);
  /** How long a policy's num_loops is kept. */
  static final Duration LOOPS_TTL = Duration.ofMinutes(10);
  /** How long Memcache keeps a roster that no refresh rewrites; the Datastore has it after that. */
  static final Duration ROSTER_TTL = Duration.ofHours(1);
  /** How long an instance answers a repeated call from its own memory. */
  static final Duration LOCAL_TTL = Duration.ofSeconds(10);
  /** Lines come from Twilio URLs: a handful per deployment; never let them pile up. */
  private static final int MAX_LOCAL_ENTRIES = 256;
  private static final Logger log = Logger.getLogger(OnCallCache.class.getName());

  private final MemcacheService memcache;
  private final AsyncMemcacheService asyncMemcache;
  private final Clock clock;
  private final Map<String, Remembered> local = new ConcurrentHashMap<>();

  public OnCallCache(MemcacheService memcache, AsyncMemcacheService asyncMemcache, Clock clock) {
    this.memcache = memcache;
    this.asyncMemcache = asyncMemcache;
    this.clock = clock;
  }

  private record Remembered(Roster roster, Instant expires) {}

  static String rosterKey(RosterKey line) {
    return PREFIX + "roster." + line.id();
  }

  static String contactsKey(String userId) {
    return PREFIX + "contacts." + userId;
  }

  static String loopsKey(String policyId) {
    return PREFIX + "loops." + policyId;
  }

  /** The roster held for this line in the instance's memory or Memcache. */
  Optional<Roster> roster(RosterKey line) {
    String key = rosterKey(line);
    Remembered remembered = local.get(key);
    if (remembered != null && clock.instant().isBefore(remembered.expires())) {
      return Optional.of(remembered.roster());
    }
    Object value = get(key);
    if (!(value instanceof String)) {
      return Optional.empty();
    }
    try {
      Roster roster = Roster.fromJson((String) value);
      remember(key, roster);
      return Optional.of(roster);
    } catch (IllegalArgumentException e) {
      log.warning("Ignored an unreadable cached roster (" + LogSafe.of(e.getMessage()) + ")");
      return Optional.empty();
    }
  }

  void putRoster(RosterKey line, Roster roster) {
    String key = rosterKey(line);
    put(key, roster.toJson(), ROSTER_TTL);
    remember(key, roster);
  }

  /**
   * Keeps a roster a call just read from the Datastore, without making the call wait for Memcache:
   * the put only saves later calls a Datastore read, and the next refresh writes it anyway.
   */
  void putRosterInBackground(RosterKey line, Roster roster) {
    String key = rosterKey(line);
    try {
      asyncMemcache.put(key, roster.toJson(), expiration(ROSTER_TTL));
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Memcache put failed; carrying on without the cache", e);
    }
    remember(key, roster);
  }

  private void remember(String key, Roster roster) {
    if (local.size() >= MAX_LOCAL_ENTRIES) {
      local.clear();
    }
    local.put(key, new Remembered(roster, clock.instant().plus(LOCAL_TTL)));
  }

  /** The cached contact numbers of those of these users that have them. */
  Map<String, ContactNumbers> contacts(Collection<String> userIds) {
    Map<String, Object> hits;
    try {
      hits = memcache.getAll(userIds.stream().map(OnCallCache::contactsKey).toList());
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Memcache getAll failed; carrying on without the cache", e);
      return Map.of();
    }
    Map<String, ContactNumbers> contacts = new LinkedHashMap<>();
    for (String userId : userIds) {
      Object hit = hits.get(contactsKey(userId));
      if (hit instanceof String) {
        try {
          contacts.put(userId, ContactNumbers.fromJson((String) hit));
        } catch (IllegalArgumentException e) {
          log.warning("Ignored an unreadable cached contact number list for user " + userId);
        }
      }
    }
    return contacts;
  }

  void putContacts(String userId, ContactNumbers numbers) {
    put(contactsKey(userId), numbers.toJson(), CONTACTS_TTL);
  }

  Optional<Integer> loops(String policyId) {
    Object value = get(loopsKey(policyId));
    return value instanceof Integer loops ? Optional.of(loops) : Optional.empty();
  }

  void putLoops(String policyId, int loops) {
    put(loopsKey(policyId), loops, LOOPS_TTL);
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
      memcache.put(key, value, expiration(ttl));
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Memcache put failed; carrying on without the cache", e);
    }
  }

  private static Expiration expiration(Duration ttl) {
    return Expiration.byDeltaMillis((int) Math.min(Integer.MAX_VALUE, ttl.toMillis()));
  }
}
