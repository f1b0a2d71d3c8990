package phoneduty.oncall;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.json.JSONArray;
import org.json.JSONObject;
import phoneduty.pagerduty.Failure;
import phoneduty.pagerduty.PagerDutyId;
import phoneduty.pagerduty.RestApiClient;
import phoneduty.pagerduty.RestApiException;
import phoneduty.text.LogSafe;
import phoneduty.text.Text;

/**
 * Who is on call right now for some escalation policies and/or schedules, and the phone numbers to
 * forward a live call to, from PagerDuty's REST API v2 through the {@link OnCallCache}.
 *
 * <h2>Requests</h2>
 *
 * {@code GET /oncalls} ({@link OnCallListing}), then {@code GET /users/{id}/contact_methods} for
 * each on-call user whose numbers are not cached. The whole lookup has
 * a total budget ({@link #DEFAULT_TOTAL_BUDGET} by default), well inside the 15 s Twilio gives a
 * webhook.
 *
 * <h2>Levels</h2>
 *
 * <ul>
 *   <li>Levels are PagerDuty's escalation levels, lowest first; a user is in one level only
 *       ({@link OnCallListing}).
 *   <li>Only users with a dialable phone number ({@link PhoneNumbers}) count; a level left without
 *       one is left out.
 * </ul>
 *
 * <p>{@link #lookup} never throws for PagerDuty's faults (nor for Memcache's).
 */
public final class OnCallDirectory {

  /** The whole lookup's time limit: Twilio waits 15 s for a webhook, which must also answer. */
  public static final Duration DEFAULT_TOTAL_BUDGET = Duration.ofSeconds(6);
  static final int MAX_IDS = 50;

  private static final Logger log = Logger.getLogger(OnCallDirectory.class.getName());

  private final RestApiClient api;
  private final OnCallListing listing;
  private final OnCallCache cache;
  private final PhoneNumbers phoneNumbers;
  private final Duration totalBudget;

  /** @param totalBudget the longest one {@link #lookup} may spend talking to PagerDuty */
  public OnCallDirectory(RestApiClient api, OnCallCache cache, PhoneNumbers phoneNumbers, Duration totalBudget) {
    if (totalBudget.isNegative() || totalBudget.isZero()) {
      throw new IllegalArgumentException("totalBudget must be positive");
    }
    this.api = api;
    this.listing = new OnCallListing(api);
    this.cache = cache;
    this.phoneNumbers = phoneNumbers;
    this.totalBudget = totalBudget;
  }

  /**
   * Who is on call now for these escalation policies and/or schedules (either list may be empty or
   * null, not both), by escalation level. Never throws for PagerDuty faults: returns a failed
   * lookup saying why.
   */
  public OnCallLookup lookup(List<String> escalationPolicyIds, List<String> scheduleIds) {
    try {
      return lookupOrFail(validIds("escalation policy", escalationPolicyIds), validIds("schedule", scheduleIds));
    } catch (LookupFailed e) {
      log.log(e.failure.isMisconfiguration() ? Level.SEVERE : Level.WARNING,
          "On-call lookup failed, " + e.failure + ": " + e.reason);
      return OnCallLookup.failed(e.failure, e.reason);
    } catch (RuntimeException e) {
      // A bug or an answer shaped past what the parsing expects; the caller must still get an answer.
      log.log(Level.SEVERE, "On-call lookup failed unexpectedly", e);
      return OnCallLookup.failed(Failure.SERVER_ERROR,
          "phoneduty could not work out who is on call from PagerDuty's answer ("
              + api.scrub(e.getClass().getSimpleName()) + ").");
    }
  }

  private OnCallLookup lookupOrFail(SortedSet<String> policies, SortedSet<String> schedules) throws LookupFailed {
    if (policies.isEmpty() && schedules.isEmpty()) {
      throw new LookupFailed(Failure.BAD_REQUEST,
          "No escalation policy or schedule id was given, so there is nobody to look up.");
    }
    if (policies.size() + schedules.size() > MAX_IDS) {
      throw new LookupFailed(Failure.BAD_REQUEST, "Too many escalation policy and schedule ids ("
          + (policies.size() + schedules.size()) + "); at most " + MAX_IDS + " may be looked up at once.");
    }
    String subject = describe(policies, schedules);
    if (!api.hasToken()) {
      throw new LookupFailed(Failure.NO_API_TOKEN, "PAGERDUTY_API_TOKEN is not set, so phoneduty cannot ask"
          + " PagerDuty who is on call for " + subject + ".");
    }
    String cacheKey = OnCallCache.lookupKey(policies, schedules);
    Optional<OnCallLookup> cached = cache.lookup(cacheKey);
    if (cached.isPresent()) {
      return cached.get();
    }
    try {
      api.failIfRateLimited();
      RestApiClient.Budget budget = new RestApiClient.Budget(totalBudget);
      SortedMap<Integer, Map<String, String>> usersByLevel = listing.usersByLevel(policies, schedules, subject, budget);
      if (usersByLevel.isEmpty()) {
        throw new LookupFailed(Failure.NOBODY_ON_CALL, "PagerDuty lists nobody on call for " + subject
            + " (an id PagerDuty does not know also gives this).");
      }
      Map<String, String> users = new LinkedHashMap<>();
      usersByLevel.values().forEach(users::putAll);
      OnCallLookup found = ringable(subject, usersByLevel, phoneNumbers(users, budget));
      cache.putLookup(cacheKey, found);
      log.info("On-call lookup: " + found.reason());
      return found;
    } catch (RestApiException e) {
      throw new LookupFailed(e.failure(), e.reason());
    }
  }

  // ---- contact methods ---------------------------------------------------------------------------

  /** Each user's dialable numbers (possibly none), from the cache or PagerDuty. */
  private Map<String, List<String>> phoneNumbers(Map<String, String> users, RestApiClient.Budget budget)
      throws RestApiException {
    Map<String, List<String>> numbers = new LinkedHashMap<>(cache.phones(users.keySet()));
    for (Map.Entry<String, String> user : users.entrySet()) {
      String userId = user.getKey();
      if (numbers.containsKey(userId)) {
        continue;
      }
      String what = "reading the contact methods of " + user.getValue() + " (" + userId + ")";
      JSONObject answer;
      try {
        answer = api.get("/users/" + userId + "/contact_methods", what, budget);
      } catch (RestApiException e) {
        if (e.failure() != Failure.NOT_FOUND) {
          throw e;
        }
        // The user left the account between the two requests: nobody to ring there.
        log.warning("PagerDuty no longer knows user " + userId + " who is on call; skipping them");
        numbers.put(userId, List.of());
        continue;
      }
      JSONArray methods = answer.optJSONArray("contact_methods");
      if (methods == null) {
        throw new RestApiException(Failure.SERVER_ERROR, "PagerDuty's answer when " + what
            + " holds no contact method list.");
      }
      List<String> userNumbers = phoneNumbers.of(userId, methods);
      numbers.put(userId, userNumbers);
      cache.putPhones(userId, userNumbers);
    }
    return numbers;
  }

  /** The levels with at least one responder who has a number, or the failure that none has. */
  private static OnCallLookup ringable(String subject, SortedMap<Integer, Map<String, String>> usersByLevel,
      Map<String, List<String>> numbers) throws LookupFailed {
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
          + LogSafe.of(String.join(", ", withoutPhones)));
    }
    if (levels.isEmpty()) {
      throw new LookupFailed(Failure.NO_PHONE_NUMBERS, "Nobody on call for " + subject + " has a phone"
          + " number in PagerDuty that a call can be forwarded to (on call: " + String.join(", ", withoutPhones)
          + "; SMS, email and push contact methods cannot take a call).");
    }
    return OnCallLookup.found(levels, foundReason(subject, levels));
  }

  // ---- ids and reasons ---------------------------------------------------------------------------

  private static SortedSet<String> validIds(String kind, List<String> ids) throws LookupFailed {
    SortedSet<String> valid = new TreeSet<>();
    for (String id : ids == null ? List.<String>of() : ids) {
      String trimmed = id == null ? "" : id.strip();
      if (!PagerDutyId.isValid(trimmed)) {
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
    return "\"" + Text.cutWithEllipsis(text.replaceAll("[^\\x20-\\x7E]", "?"), 41) + "\"";
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

  private static String foundReason(String subject, List<EscalationLevel> levels) {
    StringJoiner text = new StringJoiner("; ", "On call for " + subject + ": ", ".");
    for (EscalationLevel level : levels) {
      text.add("level " + level.level() + " "
          + String.join(", ", level.responders().stream().map(Responder::name).toList()));
    }
    return text.toString();
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
