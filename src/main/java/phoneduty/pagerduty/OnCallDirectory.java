package phoneduty.pagerduty;

import com.google.appengine.api.memcache.Expiration;
import com.google.appengine.api.memcache.MemcacheService;
import com.google.appengine.api.memcache.MemcacheServiceFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import phoneduty.Settings;
import phoneduty.pagerduty.OnCallLookup.Failure;

/**
 * Who is on call right now for some escalation policies and/or schedules, and the phone numbers to
 * forward a live call to, from PagerDuty's REST API v2, cached in Memcache.
 *
 * <h2>Requests</h2>
 *
 * {@code GET /oncalls?escalation_policy_ids[]=…&earliest=true&limit=100&offset=…} (classic offset
 * pagination, at most {@value #MAX_PAGES} pages), then {@code GET /users/{id}/contact_methods} for
 * each on-call user whose numbers are not cached. Every request carries {@code Authorization: Token
 * token=…}, {@code Accept: application/vnd.pagerduty+json;version=2} and {@code Content-Type:
 * application/json} (the OpenAPI spec marks both headers required on every operation).
 *
 * <p>When both policy ids and schedule ids are given, they are asked for in two separate listings
 * and the results merged, so the lookup is the union of the two sets whatever way PagerDuty
 * combines two filters in one request.
 *
 * <h2>Levels</h2>
 *
 * <ul>
 *   <li>Entries are grouped by {@code escalation_level}, lowest first; the same level number from
 *       several policies (or schedules) is one level. Level numbers are PagerDuty's own.
 *   <li>Schedule lookups are ordered the same way: each on-call entry of a schedule still names the
 *       policy level the schedule sits at.
 *   <li>A user is listed once per level, and only at the lowest level they are on call at: a user
 *       already rung at a lower level is dropped from higher ones, so nobody is rung twice.
 *   <li>Only users with a usable phone number count; a level left without one is left out.
 * </ul>
 *
 * <h2>Phone numbers</h2>
 *
 * Only {@code phone_contact_method}s (never SMS, email, push or WhatsApp), skipping those PagerDuty
 * marks {@code blacklisted} or not {@code enabled}, as E.164: {@code "+" + country_code + the
 * address's digits} (7 to 15 digits in all). Each user's numbers are cached for {@link
 * #CONTACT_METHODS_TTL}.
 *
 * <h2>Caching, rate limits and time</h2>
 *
 * <ul>
 *   <li>A found lookup is cached for {@link Settings#onCallCacheTtl()} under a key made of the
 *       sorted, deduplicated ids, so a burst of calls makes one {@code /oncalls} request. Failures
 *       are never cached.
 *   <li>A 429 stores "not before now + {@code ratelimit-reset} seconds" (falling back to {@code
 *       Retry-After}, then {@link #DEFAULT_RATE_LIMIT_WAIT}; capped at {@link #MAX_RATE_LIMIT_WAIT})
 *       in Memcache as an instant, compared with the injected clock. Until it passes, lookups that
 *       are not cached fail with RATE_LIMITED without a request. PagerDuty rate-limits per token,
 *       so this is one app-wide memo, not one per id set.
 *   <li>The whole lookup has a total budget ({@link #DEFAULT_TOTAL_BUDGET} by default), well inside
 *       the 15 s Twilio gives a webhook: each request's connect and read timeouts are the settings'
 *       values or what is left of the budget, whichever is shorter, and the lookup fails with
 *       TIMEOUT once the budget is spent.
 * </ul>
 *
 * <p>{@link #lookup} never throws for PagerDuty's faults (nor for Memcache's: the cache is then
 * simply skipped). The API token never appears in a log line or a reason.
 */
public final class OnCallDirectory {

  /** The whole lookup's time limit: Twilio waits 15 s for a webhook, which must also answer. */
  public static final Duration DEFAULT_TOTAL_BUDGET = Duration.ofSeconds(6);
  /** How long a user's phone numbers are kept in Memcache. */
  public static final Duration CONTACT_METHODS_TTL = Duration.ofMinutes(10);
  /** Waited after a 429 that carries neither {@code ratelimit-reset} nor {@code Retry-After}. */
  public static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(30);
  /** The longest a 429 stops lookups for, whatever PagerDuty says. */
  public static final Duration MAX_RATE_LIMIT_WAIT = Duration.ofMinutes(5);

  static final String ACCEPT = "application/vnd.pagerduty+json;version=2";
  static final String ONCALLS_PATH = "/oncalls";
  static final int PAGE_LIMIT = 100;
  static final int MAX_PAGES = 10;
  /** PagerDuty refuses classic pagination beyond offset + limit = 10,000. */
  static final int MAX_OFFSET_PLUS_LIMIT = 10_000;
  static final int MAX_IDS = 50;
  static final String CACHE_PREFIX = "phoneduty.oncall.v1.";
  static final String RATE_LIMIT_KEY = CACHE_PREFIX + "rate-limited-until";

  private static final Duration MIN_REQUEST_TIME = Duration.ofMillis(100);
  private static final Pattern ID = Pattern.compile("[A-Z0-9]{2,20}");
  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9]{1,40}");
  private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
  private static final int MAX_DETAIL_CHARS = 300;
  private static final Logger log = Logger.getLogger(OnCallDirectory.class.getName());

  /**
   * How long an instance answers a repeated lookup from its own memory before asking Memcache:
   * a warm {@code /forward} then makes no cache RPC at all, and an on-call change still reaches
   * every instance within these seconds plus the Memcache TTL.
   */
  static final Duration LOCAL_TTL = Duration.ofSeconds(10);
  private static final int MAX_LOCAL_ENTRIES = 256;

  private final Settings settings;
  private final MemcacheService cache;
  private final Clock clock;
  private final Duration totalBudget;
  private final Map<String, LocalEntry> local = new ConcurrentHashMap<>();

  /** As the container makes it: this app's settings, the default Memcache, the system clock. */
  public OnCallDirectory() {
    this(Settings.current(), MemcacheServiceFactory.getMemcacheService(), Clock.systemUTC());
  }

  public OnCallDirectory(Settings settings, MemcacheService cache, Clock clock) {
    this(settings, cache, clock, DEFAULT_TOTAL_BUDGET);
  }

  /**
   * @param clock decides when a 429's reset has passed (Memcache's own expiry runs on real time)
   * @param totalBudget the longest one {@link #lookup} may spend talking to PagerDuty
   */
  public OnCallDirectory(Settings settings, MemcacheService cache, Clock clock, Duration totalBudget) {
    if (totalBudget.isNegative() || totalBudget.isZero()) {
      throw new IllegalArgumentException("totalBudget must be positive");
    }
    this.settings = settings;
    this.cache = cache;
    this.clock = clock;
    this.totalBudget = totalBudget;
  }

  /**
   * Who is on call now for these escalation policies and/or schedules (either list may be empty or
   * null, not both), by escalation level. Never throws for PagerDuty faults: returns a failed
   * lookup saying why.
   */
  public OnCallLookup lookup(List<String> escalationPolicyIds, List<String> scheduleIds) {
    try {
      return lookupOrFail(escalationPolicyIds, scheduleIds);
    } catch (LookupFailed e) {
      // Configuration faults need a person; the rest pass or are the roster's state.
      boolean misconfigured = e.failure == Failure.NO_API_TOKEN || e.failure == Failure.UNAUTHORIZED
          || e.failure == Failure.FORBIDDEN || e.failure == Failure.NOT_FOUND || e.failure == Failure.BAD_REQUEST;
      log.log(misconfigured ? Level.SEVERE : Level.WARNING, "On-call lookup failed, " + e.failure + ": " + e.reason);
      return OnCallLookup.failed(e.failure, e.reason);
    } catch (RuntimeException e) {
      // A bug or an answer shaped past what the parsing expects; the caller must still get an answer.
      log.log(Level.SEVERE, "On-call lookup failed unexpectedly", e);
      return OnCallLookup.failed(Failure.SERVER_ERROR,
          "phoneduty could not work out who is on call from PagerDuty's answer ("
              + scrub(e.getClass().getSimpleName()) + ").");
    }
  }

  private OnCallLookup lookupOrFail(List<String> policyIds, List<String> scheduleIds) throws LookupFailed {
    SortedSet<String> policies = validIds("escalation policy", policyIds);
    SortedSet<String> schedules = validIds("schedule", scheduleIds);
    if (policies.isEmpty() && schedules.isEmpty()) {
      throw new LookupFailed(Failure.BAD_REQUEST,
          "No escalation policy or schedule id was given, so there is nobody to look up.");
    }
    if (policies.size() + schedules.size() > MAX_IDS) {
      throw new LookupFailed(Failure.BAD_REQUEST, "Too many escalation policy and schedule ids ("
          + (policies.size() + schedules.size()) + "); at most " + MAX_IDS + " may be looked up at once.");
    }
    String subject = describe(policies, schedules);
    if (settings.pagerDutyApiToken().isEmpty()) {
      throw new LookupFailed(Failure.NO_API_TOKEN, "PAGERDUTY_API_TOKEN is not set, so phoneduty cannot ask"
          + " PagerDuty who is on call for " + subject + ".");
    }

    String lookupKey = lookupKey(policies, schedules);
    LocalEntry remembered = local.get(lookupKey);
    if (remembered != null && clock.instant().isBefore(remembered.expires())) {
      return remembered.lookup();
    }
    Optional<OnCallLookup> cached = cachedLookup(lookupKey);
    if (cached.isPresent()) {
      log.fine("On-call lookup for " + subject + " answered from Memcache");
      remember(lookupKey, cached.get());
      return cached.get();
    }
    failIfRateLimited();

    Deadline deadline = new Deadline(totalBudget);
    List<Entry> entries = new ArrayList<>();
    if (!policies.isEmpty()) {
      entries.addAll(listOnCalls("escalation_policy_ids[]", policies, subject, deadline));
    }
    if (!schedules.isEmpty()) {
      entries.addAll(listOnCalls("schedule_ids[]", schedules, subject, deadline));
    }
    if (entries.isEmpty()) {
      throw new LookupFailed(Failure.NOBODY_ON_CALL, "PagerDuty lists nobody on call for " + subject
          + " (an id PagerDuty does not know also gives this).");
    }

    // Level number -> users at that level, each user at the lowest level they are on call at.
    SortedMap<Integer, Map<String, String>> usersByLevel = new TreeMap<>();
    for (Entry entry : entries) {
      usersByLevel.computeIfAbsent(entry.level, level -> new LinkedHashMap<>()).putIfAbsent(entry.userId, entry.name);
    }
    Set<String> reached = new HashSet<>();
    Map<String, String> users = new LinkedHashMap<>();
    for (Map.Entry<Integer, Map<String, String>> level : usersByLevel.entrySet()) {
      level.getValue().keySet().removeIf(userId -> {
        if (reached.add(userId)) {
          return false;
        }
        log.fine("User " + userId + " is on call at level " + level.getKey() + " for " + subject
            + " but is rung at a lower level already");
        return true;
      });
      users.putAll(level.getValue());
    }

    Map<String, List<String>> numbers = phoneNumbers(users, deadline);
    List<EscalationLevel> levels = new ArrayList<>();
    List<String> withoutPhones = new ArrayList<>();
    for (Map.Entry<Integer, Map<String, String>> level : usersByLevel.entrySet()) {
      List<Responder> responders = new ArrayList<>();
      for (Map.Entry<String, String> user : level.getValue().entrySet()) {
        List<String> userNumbers = numbers.getOrDefault(user.getKey(), List.of());
        if (userNumbers.isEmpty()) {
          withoutPhones.add(user.getValue() + " (" + user.getKey() + ", level " + level.getKey() + ")");
        } else {
          responders.add(new Responder(user.getKey(), user.getValue(), userNumbers));
        }
      }
      if (!responders.isEmpty()) {
        levels.add(EscalationLevel.of(level.getKey(), responders));
      }
    }
    if (!withoutPhones.isEmpty()) {
      log.warning("On call for " + subject + " without a phone contact method a call can be forwarded to: "
          + String.join(", ", withoutPhones));
    }
    if (levels.isEmpty()) {
      throw new LookupFailed(Failure.NO_PHONE_NUMBERS, "Nobody on call for " + subject + " has a phone"
          + " number in PagerDuty that a call can be forwarded to (on call: " + String.join(", ", withoutPhones)
          + "; SMS, email and push contact methods cannot take a call).");
    }
    OnCallLookup found = OnCallLookup.found(levels, foundReason(subject, levels));
    cachePut(lookupKey, toCacheJson(found), settings.onCallCacheTtl());
    remember(lookupKey, found);
    log.info("On-call lookup: " + found.reason());
    return found;
  }

  // ---- /oncalls ----------------------------------------------------------------------------------

  private List<Entry> listOnCalls(String filter, SortedSet<String> ids, String subject, Deadline deadline)
      throws LookupFailed {
    StringJoiner query = new StringJoiner("&");
    for (String id : ids) {
      query.add(encode(filter) + "=" + encode(id));
    }
    query.add("earliest=true").add("limit=" + PAGE_LIMIT);
    String what = "listing who is on call for " + subject;
    List<Entry> entries = new ArrayList<>();
    int offset = 0;
    for (int page = 1; ; page++) {
      JSONObject answer = get(ONCALLS_PATH + "?" + query + "&offset=" + offset, what, deadline);
      JSONArray oncalls = answer.optJSONArray("oncalls");
      if (oncalls == null) {
        throw new LookupFailed(Failure.SERVER_ERROR,
            "PagerDuty's answer when " + what + " holds no on-call list.");
      }
      for (int i = 0; i < oncalls.length(); i++) {
        entry(oncalls.optJSONObject(i), subject).ifPresent(entries::add);
      }
      if (!answer.optBoolean("more", false) || oncalls.isEmpty()) {
        return entries;
      }
      int limit = answer.optInt("limit", PAGE_LIMIT);
      offset += limit > 0 ? limit : oncalls.length();
      if (page == MAX_PAGES || offset + PAGE_LIMIT > MAX_OFFSET_PLUS_LIMIT) {
        log.warning("PagerDuty has more than " + offset + " on-call entries for " + subject
            + "; using the first " + offset);
        return entries;
      }
    }
  }

  private static Optional<Entry> entry(JSONObject oncall, String subject) {
    JSONObject user = oncall == null ? null : oncall.optJSONObject("user");
    String userId = user == null ? "" : user.optString("id", "");
    if (!USER_ID.matcher(userId).matches()) {
      log.warning("Skipped an on-call entry for " + subject + " without a usable user id");
      return Optional.empty();
    }
    String name = user.optString("summary", "");
    if (name.isBlank()) {
      name = user.optString("name", userId);
    }
    int level = oncall.optInt("escalation_level", 1);
    return Optional.of(new Entry(Math.max(level, 0), userId, name.strip()));
  }

  // ---- contact methods ---------------------------------------------------------------------------

  /** Each user's phone numbers (possibly none), from Memcache or PagerDuty. */
  private Map<String, List<String>> phoneNumbers(Map<String, String> users, Deadline deadline)
      throws LookupFailed {
    Map<String, List<String>> numbers = new LinkedHashMap<>();
    Map<String, Object> cached = cacheGetAll(users.keySet().stream().map(OnCallDirectory::contactsKey).toList());
    for (Map.Entry<String, String> user : users.entrySet()) {
      String userId = user.getKey();
      Object hit = cached.get(contactsKey(userId));
      if (hit instanceof String) {
        try {
          numbers.put(userId, stringList(new JSONArray((String) hit)));
          continue;
        } catch (JSONException e) {
          log.warning("Ignored an unreadable cached phone list for user " + userId);
        }
      }
      String what = "reading the contact methods of " + user.getValue() + " (" + userId + ")";
      JSONObject answer;
      try {
        answer = get("/users/" + userId + "/contact_methods", what, deadline);
      } catch (LookupFailed e) {
        if (e.failure == Failure.NOT_FOUND) {
          // The user left the account between the two requests: nobody to ring there.
          log.warning("PagerDuty no longer knows user " + userId + " who is on call; skipping them");
          numbers.put(userId, List.of());
          continue;
        }
        throw e;
      }
      JSONArray methods = answer.optJSONArray("contact_methods");
      if (methods == null) {
        throw new LookupFailed(Failure.SERVER_ERROR, "PagerDuty's answer when " + what
            + " holds no contact method list.");
      }
      List<String> userNumbers = phoneNumbers(methods);
      numbers.put(userId, userNumbers);
      cachePut(contactsKey(userId), new JSONArray(userNumbers).toString(), CONTACT_METHODS_TTL);
    }
    return numbers;
  }

  /** The voice numbers among a user's contact methods, in E.164, in order, without repeats. */
  static List<String> phoneNumbers(JSONArray contactMethods) {
    Set<String> numbers = new LinkedHashSet<>();
    for (int i = 0; i < contactMethods.length(); i++) {
      JSONObject method = contactMethods.optJSONObject(i);
      if (method == null
          || !"phone_contact_method".equals(method.optString("type"))
          || method.optBoolean("blacklisted", false)
          || !method.optBoolean("enabled", true)) {
        continue;
      }
      e164(method.optInt("country_code", 0), method.optString("address", "")).ifPresent(numbers::add);
    }
    return new ArrayList<>(numbers);
  }

  static Optional<String> e164(int countryCode, String address) {
    String digits = address.replaceAll("[^0-9]", "");
    String number = countryCode + digits;
    if (countryCode < 1 || countryCode > 1999 || digits.isEmpty() || number.length() < 7 || number.length() > 15) {
      return Optional.empty();
    }
    return Optional.of("+" + number);
  }

  // ---- HTTP --------------------------------------------------------------------------------------

  private JSONObject get(String pathAndQuery, String what, Deadline deadline) throws LookupFailed {
    long remaining = deadline.remainingMillis();
    if (remaining < MIN_REQUEST_TIME.toMillis()) {
      throw new LookupFailed(Failure.TIMEOUT, "PagerDuty was too slow: the on-call lookup's "
          + seconds(totalBudget) + " budget ran out before " + what + ".");
    }
    int connectTimeout = (int) Math.min(settings.connectTimeout().toMillis(), remaining);
    int readTimeout = (int) Math.min(settings.apiReadTimeout().toMillis(), remaining);
    String base = settings.pagerDutyApiBaseUrl().toString().replaceAll("/+$", "");
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) URI.create(base + pathAndQuery).toURL().openConnection();
      connection.setConnectTimeout(connectTimeout);
      connection.setReadTimeout(readTimeout);
      connection.setRequestMethod("GET");
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setRequestProperty("Authorization", "Token token=" + settings.pagerDutyApiToken().orElseThrow());
      connection.setRequestProperty("Accept", ACCEPT);
      connection.setRequestProperty("Content-Type", "application/json");
      int status = connection.getResponseCode();
      String body = read(status < 400 ? connection.getInputStream() : connection.getErrorStream());
      if (status == 200) {
        try {
          return new JSONObject(body);
        } catch (JSONException e) {
          throw new LookupFailed(Failure.SERVER_ERROR, "PagerDuty's answer when " + what + " was not JSON.");
        }
      }
      throw failureFor(status, connection, body, what);
    } catch (SocketTimeoutException e) {
      boolean budget = deadline.remainingMillis() < MIN_REQUEST_TIME.toMillis();
      throw new LookupFailed(Failure.TIMEOUT, "PagerDuty did not answer within "
          + (budget ? "the on-call lookup's " + seconds(totalBudget) + " budget" : readTimeout + " ms")
          + " when " + what + ".");
    } catch (ConnectException | UnknownHostException | NoRouteToHostException e) {
      throw new LookupFailed(Failure.UNREACHABLE, "PagerDuty could not be reached at " + base
          + " when " + what + " (" + scrub(e.getClass().getSimpleName() + ": " + e.getMessage()) + ").");
    } catch (IOException e) {
      throw new LookupFailed(Failure.UNREACHABLE, "The connection to PagerDuty at " + base + " failed when "
          + what + " (" + scrub(e.getClass().getSimpleName() + ": " + e.getMessage()) + ").");
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  private LookupFailed failureFor(int status, HttpURLConnection connection, String body, String what) {
    String pagerDuty = " (HTTP " + status + detail(body) + ")";
    if (status == 401) {
      return new LookupFailed(Failure.UNAUTHORIZED, "PagerDuty refused the REST API token when " + what
          + pagerDuty + "; PAGERDUTY_API_TOKEN is wrong, revoked or not a REST API key.");
    }
    if (status == 403) {
      return new LookupFailed(Failure.FORBIDDEN, "PagerDuty does not let the REST API token see this when "
          + what + pagerDuty + "; the token needs read access to on-calls and users' contact methods.");
    }
    if (status == 404) {
      return new LookupFailed(Failure.NOT_FOUND, "PagerDuty found nothing when " + what + pagerDuty + ".");
    }
    if (status == 429) {
      Duration wait = rateLimitWait(connection);
      Instant until = clock.instant().plus(wait);
      cachePut(RATE_LIMIT_KEY, until.toEpochMilli(), wait.plusSeconds(1));
      return new LookupFailed(Failure.RATE_LIMITED, "PagerDuty is rate limiting phoneduty's REST API token"
          + pagerDuty + " when " + what + "; no more requests until " + until + " (" + wait.toSeconds() + " s).");
    }
    if (status >= 500) {
      return new LookupFailed(Failure.SERVER_ERROR, "PagerDuty failed when " + what + pagerDuty + ".");
    }
    if (status >= 400) {
      return new LookupFailed(Failure.BAD_REQUEST, "PagerDuty rejected the request when " + what + pagerDuty
          + "; check the escalation policy and schedule ids.");
    }
    return new LookupFailed(Failure.SERVER_ERROR, "PagerDuty gave an unexpected answer when " + what + pagerDuty + ".");
  }

  /** {@code ratelimit-reset} (seconds to wait), else {@code Retry-After}, else a default; capped. */
  private Duration rateLimitWait(HttpURLConnection connection) {
    for (String header : List.of("ratelimit-reset", "Retry-After")) {
      String value = connection.getHeaderField(header);
      if (value == null) {
        continue;
      }
      try {
        long seconds = (long) Math.ceil(Double.parseDouble(value.trim()));
        if (seconds > 1_000_000_000L) {
          // Some APIs send an epoch time here; PagerDuty documents seconds, but be safe.
          seconds = seconds - clock.instant().getEpochSecond();
        }
        Duration wait = Duration.ofSeconds(Math.max(1, seconds));
        return wait.compareTo(MAX_RATE_LIMIT_WAIT) > 0 ? MAX_RATE_LIMIT_WAIT : wait;
      } catch (NumberFormatException e) {
        log.warning("PagerDuty sent an unreadable " + header + " header");
      }
    }
    return DEFAULT_RATE_LIMIT_WAIT;
  }

  private void failIfRateLimited() throws LookupFailed {
    Object until = cacheGet(RATE_LIMIT_KEY);
    if (until instanceof Long) {
      Instant instant = Instant.ofEpochMilli((Long) until);
      Instant now = clock.instant();
      if (now.isBefore(instant)) {
        throw new LookupFailed(Failure.RATE_LIMITED, "PagerDuty is rate limiting phoneduty's REST API token;"
            + " no requests until " + instant + " (" + Duration.between(now, instant).toSeconds() + " s from now).");
      }
    }
  }

  /** PagerDuty's {@code error.message}, {@code code} and {@code errors}, or nothing. */
  private String detail(String body) {
    try {
      JSONObject error = new JSONObject(body).optJSONObject("error");
      if (error == null) {
        return "";
      }
      StringBuilder text = new StringBuilder(error.optString("message", ""));
      if (error.has("code")) {
        text.append(" code ").append(error.opt("code"));
      }
      JSONArray errors = error.optJSONArray("errors");
      for (int i = 0; errors != null && i < errors.length(); i++) {
        text.append(i == 0 ? ": " : "; ").append(errors.optString(i));
      }
      String clean = scrub(text.toString().strip());
      if (clean.length() > MAX_DETAIL_CHARS) {
        clean = clean.substring(0, MAX_DETAIL_CHARS) + "…";
      }
      return clean.isEmpty() ? "" : ", " + clean;
    } catch (JSONException e) {
      return "";
    }
  }

  /** Removes the token from text that came from elsewhere, in case something echoed it. */
  private String scrub(String text) {
    String token = settings.pagerDutyApiToken().orElse("");
    String clean = text == null ? "" : text.replaceAll("[\\p{Cntrl}]", " ");
    return token.isEmpty() ? clean : clean.replace(token, "(token)");
  }

  private static String read(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (InputStream body = in) {
      return new String(body.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
    }
  }

  // ---- ids, cache keys, reasons ------------------------------------------------------------------

  private static SortedSet<String> validIds(String kind, List<String> ids) throws LookupFailed {
    SortedSet<String> valid = new TreeSet<>();
    if (ids == null) {
      return valid;
    }
    for (String id : ids) {
      String trimmed = id == null ? "" : id.strip();
      if (!ID.matcher(trimmed).matches()) {
        throw new LookupFailed(Failure.BAD_REQUEST, "The " + kind + " id " + quote(id) + " is malformed:"
            + " PagerDuty ids are 2 to 20 capital letters and digits, like PABC123.");
      }
      valid.add(trimmed);
    }
    return valid;
  }

  private static String quote(String text) {
    if (text == null) {
      return "(null)";
    }
    String shown = text.replaceAll("[^\\x20-\\x7E]", "?");
    return "\"" + (shown.length() > 40 ? shown.substring(0, 40) + "…" : shown) + "\"";
  }

  static String describe(SortedSet<String> policies, SortedSet<String> schedules) {
    List<String> parts = new ArrayList<>();
    if (!policies.isEmpty()) {
      parts.add((policies.size() == 1 ? "escalation policy " : "escalation policies ") + String.join(", ", policies));
    }
    if (!schedules.isEmpty()) {
      parts.add((schedules.size() == 1 ? "schedule " : "schedules ") + String.join(", ", schedules));
    }
    return String.join(" and ", parts);
  }

  static String lookupKey(SortedSet<String> policies, SortedSet<String> schedules) {
    String ids = "ep=" + String.join(",", policies) + "|sch=" + String.join(",", schedules);
    if (ids.length() > 180) {
      try {
        ids = "sha256=" + HexFormat.of().formatHex(
            MessageDigest.getInstance("SHA-256").digest(ids.getBytes(StandardCharsets.UTF_8)));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return CACHE_PREFIX + "lookup." + ids;
  }

  static String contactsKey(String userId) {
    return CACHE_PREFIX + "phones." + userId;
  }

  private static String foundReason(String subject, List<EscalationLevel> levels) {
    StringJoiner text = new StringJoiner("; ", "On call for " + subject + ": ", ".");
    for (EscalationLevel level : levels) {
      text.add("level " + level.level() + " "
          + String.join(", ", level.responders().stream().map(Responder::name).toList()));
    }
    return text.toString();
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  private void remember(String key, OnCallLookup found) {
    if (local.size() >= MAX_LOCAL_ENTRIES) {
      local.clear(); // ids come from Twilio URLs: a handful per deployment; never let them pile up
    }
    Duration ttl = settings.onCallCacheTtl().compareTo(LOCAL_TTL) < 0 ? settings.onCallCacheTtl() : LOCAL_TTL;
    local.put(key, new LocalEntry(found, clock.instant().plus(ttl)));
  }

  private record LocalEntry(OnCallLookup lookup, Instant expires) {}

  // ---- Memcache ----------------------------------------------------------------------------------

  private static String toCacheJson(OnCallLookup lookup) {
    JSONArray levels = new JSONArray();
    for (EscalationLevel level : lookup.levels()) {
      JSONArray responders = new JSONArray();
      for (Responder responder : level.responders()) {
        responders.put(new JSONObject().put("id", responder.userId()).put("name", responder.name())
            .put("phones", new JSONArray(responder.phoneNumbers())));
      }
      levels.put(new JSONObject().put("level", level.level()).put("responders", responders));
    }
    return new JSONObject().put("reason", lookup.reason()).put("levels", levels).toString();
  }

  private Optional<OnCallLookup> cachedLookup(String key) {
    Object value = cacheGet(key);
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
              stringList(responder.getJSONArray("phones"))));
        }
        levels.add(EscalationLevel.of(level.getInt("level"), responders));
      }
      return Optional.of(OnCallLookup.found(levels, json.getString("reason")));
    } catch (JSONException | IllegalArgumentException e) {
      log.warning("Ignored an unreadable cached on-call lookup (" + e.getMessage() + ")");
      return Optional.empty();
    }
  }

  private static List<String> stringList(JSONArray array) {
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < array.length(); i++) {
      strings.add(array.getString(i));
    }
    return strings;
  }

  private Object cacheGet(String key) {
    try {
      return cache.get(key);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Memcache get failed; carrying on without the cache", e);
      return null;
    }
  }

  private Map<String, Object> cacheGetAll(List<String> keys) {
    try {
      return cache.getAll(keys);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Memcache getAll failed; carrying on without the cache", e);
      return Map.of();
    }
  }

  private void cachePut(String key, Object value, Duration ttl) {
    try {
      cache.put(key, value, Expiration.byDeltaMillis((int) Math.min(Integer.MAX_VALUE, ttl.toMillis())));
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Memcache put failed; carrying on without the cache", e);
    }
  }

  // ---- small types -------------------------------------------------------------------------------

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private record Entry(int level, String userId, String name) {}

  private static final class Deadline {
    private final long end;

    Deadline(Duration budget) {
      end = System.nanoTime() + budget.toNanos();
    }

    long remainingMillis() {
      return Math.max(0, (end - System.nanoTime()) / 1_000_000);
    }
  }

  /** Ends a lookup with a failure; the reason is already free of the token. */
  private static final class LookupFailed extends Exception {
    final Failure failure;
    final String reason;

    LookupFailed(Failure failure, String reason) {
      super(failure + ": " + reason, null, false, false);
      this.failure = failure;
      this.reason = reason;
    }
  }
}
