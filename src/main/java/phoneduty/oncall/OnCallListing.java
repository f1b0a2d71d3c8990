package phoneduty.oncall;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.json.JSONArray;
import org.json.JSONObject;
import phoneduty.pagerduty.Failure;
import phoneduty.pagerduty.RestApiClient;
import phoneduty.pagerduty.RestApiException;
import phoneduty.text.Text;

/**
 * Who is on call, by escalation level: {@code GET /oncalls?escalation_policy_ids[]=…&earliest=true
 * &limit=100&offset=…} (classic offset pagination, at most {@value #MAX_PAGES} pages).
 *
 * <p>One listing serves many lines: the ids of every line being refreshed go into one request (up
 * to {@link RosterKey#MAX_IDS} ids each), and each line then takes the entries of its own ids.
 * Policy ids and schedule ids are asked for in two separate listings and the results merged, so a
 * line naming both gets the union of the two sets whatever way PagerDuty combines two filters in
 * one request. Entries are grouped by {@code escalation_level}, lowest first; the same level number from several policies (or schedules) is one level, and a schedule's
 * entries still name the policy level the schedule sits at. A user is listed only at the lowest
 * level they are on call at, so nobody is rung twice.
 */
final class OnCallListing {

  static final String ONCALLS_PATH = "/oncalls";
  static final int PAGE_LIMIT = 100;
  static final int MAX_PAGES = 10;
  /** PagerDuty refuses classic pagination beyond offset + limit = 10,000. */
  static final int MAX_OFFSET_PLUS_LIMIT = 10_000;
  private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9]{1,40}");
  private static final Logger log = Logger.getLogger(OnCallListing.class.getName());

  private final RestApiClient api;
  private final ScheduleShifts scheduleShifts;

  OnCallListing(RestApiClient api, Clock clock) {
    this.api = api;
    this.scheduleShifts = new ScheduleShifts(api, clock);
  }

  /**
   * For one line, level number to users (id to name), each user only at the lowest level they are
   * on call at, from the entries of a listing that covered the line's ids.
   */
  static SortedMap<Integer, Map<String, String>> usersByLevel(List<Entry> entries, RosterKey line) {
    SortedMap<Integer, Map<String, String>> usersByLevel = new TreeMap<>();
    for (Entry entry : entries) {
      if (!entry.belongsTo(line)) {
        continue;
      }
      usersByLevel.computeIfAbsent(entry.level, level -> new LinkedHashMap<>()).putIfAbsent(entry.userId, entry.name);
    }
    Set<String> reached = new HashSet<>();
    for (Map<String, String> level : usersByLevel.values()) {
      level.keySet().removeIf(userId -> !reached.add(userId));
    }
    usersByLevel.values().removeIf(Map::isEmpty);
    return usersByLevel;
  }

  /**
   * For one line, when each user's shift ends: the latest {@code end} of their entries, and none
   * for a user on call without an end (a policy that targets them directly) at any of them.
   */
  static Map<String, Instant> shiftEnds(List<Entry> entries, RosterKey line) {
    Map<String, Instant> ends = new LinkedHashMap<>();
    Set<String> endless = new HashSet<>();
    for (Entry entry : entries) {
      if (!entry.belongsTo(line)) {
        continue;
      }
      if (entry.end.isEmpty()) {
        endless.add(entry.userId);
      } else {
        ends.merge(entry.userId, entry.end.get(), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    ends.keySet().removeAll(endless);
    return ends;
  }

  // ---- /oncalls ----------------------------------------------------------------------------------

  /**
   * Every on-call entry for the policies, then the schedules, in requests of at most {@link
   * RosterKey#MAX_IDS} ids; then, for each schedule the listing has no entry for (one that no
   * escalation policy uses, or nobody's turn), the schedule's own entries ({@link ScheduleShifts}).
   */
  List<Entry> onCalls(SortedSet<String> policies, SortedSet<String> schedules, String subject,
      RestApiClient.Budget budget) throws RestApiException {
    List<Entry> entries = new ArrayList<>();
    for (List<String> chunk : chunks(policies)) {
      entries.addAll(listOnCalls(false, chunk, subject, budget));
    }
    for (List<String> chunk : chunks(schedules)) {
      entries.addAll(listOnCalls(true, chunk, subject, budget));
    }
    Set<String> listed = new HashSet<>();
    entries.stream().filter(Entry::bySchedule).forEach(entry -> listed.add(entry.scheduleId()));
    for (String schedule : schedules) {
      if (!listed.contains(schedule)) {
        entries.addAll(scheduleShifts.onCallNow(schedule, budget));
      }
    }
    return entries;
  }

  private static List<List<String>> chunks(SortedSet<String> ids) {
    List<String> all = new ArrayList<>(ids);
    List<List<String>> chunks = new ArrayList<>();
    for (int from = 0; from < all.size(); from += RosterKey.MAX_IDS) {
      chunks.add(all.subList(from, Math.min(all.size(), from + RosterKey.MAX_IDS)));
    }
    return chunks;
  }

  private List<Entry> listOnCalls(boolean bySchedule, List<String> ids, String subject, RestApiClient.Budget budget)
      throws RestApiException {
    String filter = bySchedule ? "schedule_ids[]" : "escalation_policy_ids[]";
    StringJoiner query = new StringJoiner("&");
    for (String id : ids) {
      query.add(Text.urlEncode(filter) + "=" + Text.urlEncode(id));
    }
    query.add("earliest=true").add("limit=" + PAGE_LIMIT);
    String what = "listing who is on call for " + subject;
    List<Entry> entries = new ArrayList<>();
    int offset = 0;
    for (int page = 1; ; page++) {
      JSONObject answer = api.get(ONCALLS_PATH + "?" + query + "&offset=" + offset, what, budget);
      JSONArray oncalls = answer.optJSONArray("oncalls");
      if (oncalls == null) {
        throw new RestApiException(Failure.SERVER_ERROR,
            "PagerDuty's answer when " + what + " holds no on-call list.");
      }
      for (int i = 0; i < oncalls.length(); i++) {
        entry(oncalls.optJSONObject(i), bySchedule, subject).ifPresent(entries::add);
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

  private Optional<Entry> entry(JSONObject oncall, boolean bySchedule, String subject) {
    Optional<UserReference> user = UserReference.of(oncall == null ? null : oncall.optJSONObject("user"), api);
    if (user.isEmpty()) {
      log.warning("Skipped an on-call entry for " + subject + " without a usable user id");
      return Optional.empty();
    }
    int level = oncall.optInt("escalation_level", 1);
    return Optional.of(new Entry(Math.max(level, 0), user.get().id(), user.get().name(), bySchedule,
        referenceId(oncall, "escalation_policy"), referenceId(oncall, "schedule"), dateTime(oncall.opt("end"))));
  }

  /** A user as an on-call entry or a schedule entry names them: the id, and a name fit for logs. */
  record UserReference(String id, String name) {

    /** The reference's id and name ({@code summary}, else {@code name}, else the id); none without a usable id. */
    static Optional<UserReference> of(JSONObject user, RestApiClient api) {
      String userId = user == null ? "" : user.optString("id", "");
      if (!USER_ID.matcher(userId).matches()) {
        return Optional.empty();
      }
      String name = user.optString("summary", "");
      if (name.isBlank()) {
        name = user.optString("name", userId);
      }
      return Optional.of(new UserReference(userId, api.scrub(name.strip())));
    }
  }

  /**
   * A shift's start or end, in UTC or any offset PagerDuty writes it in; none when PagerDuty gives
   * none (null: a user the policy targets directly, or an entry that does not end) or one that does
   * not parse.
   */
  static Optional<Instant> dateTime(Object value) {
    if (!(value instanceof String text) || text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String referenceId(JSONObject oncall, String field) {
    JSONObject reference = oncall.optJSONObject(field);
    return reference == null ? "" : reference.optString("id", "");
  }

  /**
   * One on-call entry.
   *
   * @param bySchedule whether it came from the listing by schedule ids (else by policy ids)
   * @param end when this on-call shift ends; none for a user the policy targets directly
   */
  record Entry(int level, String userId, String name, boolean bySchedule, String policyId, String scheduleId,
      Optional<Instant> end) {

    /** Whether this entry answers one of the ids the line asked for, in the listing that asked for it. */
    boolean belongsTo(RosterKey line) {
      return bySchedule ? line.schedules().contains(scheduleId) : line.policies().contains(policyId);
    }
  }
}
