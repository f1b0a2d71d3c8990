package phoneduty.oncall;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.time.Clock;
import java.time.Instant;
import org.json.JSONArray;
import org.json.JSONObject;
import phoneduty.pagerduty.Failure;
import phoneduty.pagerduty.RestApiClient;
import phoneduty.pagerduty.RestApiException;
import phoneduty.text.LogSafe;

/**
 * Asks PagerDuty's REST API v2 who is on call for some lines, and makes each line's {@link Roster}.
 *
 * <h2>Requests</h2>
 *
 * One {@code GET /oncalls} listing for all the lines' ids ({@link OnCallListing}); {@code GET
 * /users/{id}/contact_methods} for each on-call user whose numbers are not cached (they are kept
 * for {@link OnCallCache#CONTACTS_TTL}); {@code GET /escalation_policies/{id}} for each policy whose
 * {@code num_loops} is not cached. All within the caller's budget; a 429 is remembered by the
 * {@link RestApiClient} and stops requests until PagerDuty's reset.
 *
 * <h2>Levels</h2>
 *
 * Levels are PagerDuty's escalation levels, lowest first; a user is in one level only. Only users
 * with a dialable phone number ({@link PhoneNumbers}) count; a level left without one is left
 * out, and a line left with no level is a roster of nobody, saying why.
 */
public final class RosterFetcher {

  private static final Logger log = Logger.getLogger(RosterFetcher.class.getName());

  private final RestApiClient api;
  private final OnCallListing listing;
  private final OnCallCache cache;
  private final PhoneNumbers phoneNumbers;
  private final Clock clock;

  public RosterFetcher(RestApiClient api, OnCallCache cache, PhoneNumbers phoneNumbers, Clock clock) {
    this.api = api;
    this.listing = new OnCallListing(api, clock);
    this.cache = cache;
    this.phoneNumbers = phoneNumbers;
    this.clock = clock;
  }

  boolean hasToken() {
    return api.hasToken();
  }

  /** Removes the token from a text that may hold it. */
  String scrub(String text) {
    return api.scrub(text);
  }

  /** Every line's roster as PagerDuty has it now; a failure of any request fails them all. */
  Map<RosterKey, Roster> fetch(Collection<RosterKey> lines, RestApiClient.Budget budget) throws RestApiException {
    if (!api.hasToken()) {
      throw new RestApiException(Failure.NO_API_TOKEN, "PAGERDUTY_API_TOKEN is not set, so phoneduty cannot ask"
          + " PagerDuty who is on call for " + describe(lines) + ".");
    }
    api.failIfRateLimited();
    TreeSet<String> policies = new TreeSet<>();
    TreeSet<String> schedules = new TreeSet<>();
    lines.forEach(line -> {
      policies.addAll(line.policies());
      schedules.addAll(line.schedules());
    });
    List<OnCallListing.Entry> entries = listing.onCalls(policies, schedules, describe(lines), budget);

    Map<RosterKey, SortedMap<Integer, Map<String, String>>> usersByLine = new LinkedHashMap<>();
    Map<RosterKey, Map<String, Instant>> shiftEndsByLine = new LinkedHashMap<>();
    Map<String, String> users = new LinkedHashMap<>();
    for (RosterKey line : lines) {
      SortedMap<Integer, Map<String, String>> byLevel = OnCallListing.usersByLevel(entries, line);
      usersByLine.put(line, byLevel);
      shiftEndsByLine.put(line, OnCallListing.shiftEnds(entries, line));
      byLevel.values().forEach(users::putAll);
    }
    Map<String, ContactNumbers> numbers = contactNumbers(users, budget);
    Map<String, Integer> loops = loops(policies, budget);

    Map<RosterKey, Roster> rosters = new LinkedHashMap<>();
    for (RosterKey line : lines) {
      int lineLoops = line.policies().stream().mapToInt(id -> loops.getOrDefault(id, 0)).max().orElse(0);
      rosters.put(line, roster(line, usersByLine.get(line), numbers, lineLoops).withShiftEnds(shiftEndsByLine.get(line)));
    }
    return rosters;
  }

  // ---- contact methods ---------------------------------------------------------------------------

  /** Each user's dialable and SMS numbers (possibly none), from the cache or PagerDuty. */
  private Map<String, ContactNumbers> contactNumbers(Map<String, String> users, RestApiClient.Budget budget)
      throws RestApiException {
    Map<String, ContactNumbers> numbers = new LinkedHashMap<>(cache.contacts(users.keySet()));
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
        numbers.put(userId, ContactNumbers.NONE);
        continue;
      }
      JSONArray methods = answer.optJSONArray("contact_methods");
      if (methods == null) {
        throw new RestApiException(Failure.SERVER_ERROR, "PagerDuty's answer when " + what
            + " holds no contact method list.");
      }
      ContactNumbers userNumbers = phoneNumbers.of(userId, methods);
      numbers.put(userId, userNumbers);
      cache.putContacts(userId, userNumbers);
    }
    return numbers;
  }

  // ---- num_loops ---------------------------------------------------------------------------------

  /**
   * Each policy's {@code num_loops}. A policy PagerDuty will not describe (404, 403: a token
   * without that scope) repeats 0 times: repeating is a refinement, and must never stop a call
   * from ringing. Other failures (5xx, 429, timeouts) fail the fetch like any request.
   */
  private Map<String, Integer> loops(Collection<String> policies, RestApiClient.Budget budget) throws RestApiException {
    Map<String, Integer> loops = new LinkedHashMap<>();
    for (String policy : policies) {
      Optional<Integer> cached = cache.loops(policy);
      if (cached.isPresent()) {
        loops.put(policy, cached.get());
        continue;
      }
      int numLoops;
      try {
        JSONObject answer = api.get("/escalation_policies/" + policy, "reading escalation policy " + policy, budget);
        JSONObject described = answer.optJSONObject("escalation_policy");
        numLoops = described == null ? 0 : Math.max(0, Math.min(MAX_LOOPS, described.optInt("num_loops", 0)));
      } catch (RestApiException e) {
        if (e.failure() != Failure.NOT_FOUND && e.failure() != Failure.FORBIDDEN) {
          throw e;
        }
        log.warning("PagerDuty would not describe escalation policy " + policy + " (" + e.failure()
            + "); calls go round its levels once");
        numLoops = 0;
      }
      loops.put(policy, numLoops);
      cache.putLoops(policy, numLoops);
    }
    return loops;
  }

  /** PagerDuty allows up to 9 repeats; the call's own ringing cap ends the call before that anyway. */
  static final int MAX_LOOPS = 9;

  // ---- the roster --------------------------------------------------------------------------------

  /** The levels with at least one responder who has a number, or a roster of nobody saying why. */
  private Roster roster(RosterKey line, SortedMap<Integer, Map<String, String>> usersByLevel,
      Map<String, ContactNumbers> numbers, int loops) {
    String subject = line.describe();
    if (usersByLevel.isEmpty()) {
      return new Roster(List.of(), loops, "PagerDuty lists nobody on call for " + subject
          + " (an id PagerDuty does not know also gives this).", clock.instant(), Optional.of(Failure.NOBODY_ON_CALL));
    }
    List<EscalationLevel> levels = new ArrayList<>();
    List<String> withoutPhones = new ArrayList<>();
    for (Map.Entry<Integer, Map<String, String>> level : usersByLevel.entrySet()) {
      List<Responder> responders = new ArrayList<>();
      for (Map.Entry<String, String> user : level.getValue().entrySet()) {
        ContactNumbers userNumbers = numbers.getOrDefault(user.getKey(), ContactNumbers.NONE);
        if (userNumbers.voice().isEmpty()) {
          withoutPhones.add(user.getValue() + " (" + user.getKey() + ", level " + level.getKey() + ")");
        } else {
          responders.add(new Responder(user.getKey(), user.getValue(), userNumbers.voice(), userNumbers.text()));
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
      return new Roster(List.of(), loops, "Nobody on call for " + subject + " has a phone"
          + " number in PagerDuty that a call can be forwarded to (on call: " + String.join(", ", withoutPhones)
          + "; SMS, email and push contact methods cannot take a call).", clock.instant(),
          Optional.of(Failure.NO_PHONE_NUMBERS));
    }
    return new Roster(levels, loops, foundReason(subject, levels), clock.instant());
  }

  private static String foundReason(String subject, List<EscalationLevel> levels) {
    StringJoiner text = new StringJoiner("; ", "On call for " + subject + ": ", ".");
    for (EscalationLevel level : levels) {
      text.add("level " + level.level() + " "
          + String.join(", ", level.responders().stream().map(Responder::name).toList()));
    }
    return text.toString();
  }

  private static String describe(Collection<RosterKey> lines) {
    if (lines.size() == 1) {
      return lines.iterator().next().describe();
    }
    return lines.size() + " lines";
  }
}
