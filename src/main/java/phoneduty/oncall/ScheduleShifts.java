package phoneduty.oncall;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.json.JSONArray;
import org.json.JSONObject;
import phoneduty.pagerduty.Failure;
import phoneduty.pagerduty.RestApiClient;
import phoneduty.pagerduty.RestApiException;
import phoneduty.text.Text;

/**
 * Who a schedule has on call now, read from the schedule itself: {@code GET /schedules/{id}
 * ?since=…&until=…&overflow=true}, its {@code final_schedule.rendered_schedule_entries}.
 *
 * <p>{@code GET /oncalls} lists on-call time "for a given Escalation Policy", so a schedule that no
 * escalation policy uses is never in it. {@link OnCallListing} asks here for a schedule the listing
 * left out, so a line built from such a schedule still rings its people, as level 1. This needs the
 * {@code schedules.read} scope; a token without it (403) leaves the schedule's people out and says
 * so in the log, as before this existed. {@code overflow=true} keeps each shift's real end, which
 * the roster needs to stop ringing someone whose shift is over.
 */
final class ScheduleShifts {

  static final String PATH = "/schedules/";
  /** The window asked for: only shifts that cover its start are on call, the rest are dropped. */
  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final Logger log = Logger.getLogger(ScheduleShifts.class.getName());

  private final RestApiClient api;
  private final Clock clock;

  ScheduleShifts(RestApiClient api, Clock clock) {
    this.api = api;
    this.clock = clock;
  }

  /**
   * The schedule's on-call entries now, as level 1 of the line: empty when nobody is on call, when
   * PagerDuty does not know the schedule (404), or when the token may not read it (403).
   *
   * @throws RestApiException for the failures that must not pass as "nobody on call" (5xx, 429,
   *     timeouts, 401): the line keeps its last roster
   */
  List<OnCallListing.Entry> onCallNow(String scheduleId, RestApiClient.Budget budget) throws RestApiException {
    Instant now = clock.instant();
    Instant since = now.truncatedTo(ChronoUnit.SECONDS);
    String what = "reading schedule " + scheduleId + ", which no escalation policy lists";
    JSONObject answer;
    try {
      answer = api.get(PATH + Text.urlEncode(scheduleId) + "?since=" + Text.urlEncode(since.toString())
          + "&until=" + Text.urlEncode(since.plus(WINDOW).toString()) + "&overflow=true", what, budget);
    } catch (RestApiException e) {
      if (e.failure() == Failure.NOT_FOUND) {
        return List.of();
      }
      if (e.failure() == Failure.FORBIDDEN) {
        log.warning("PagerDuty would not show schedule " + scheduleId + " (FORBIDDEN): ringing a schedule that"
            + " no escalation policy uses needs a REST API token with the schedules.read scope");
        return List.of();
      }
      throw e;
    }
    JSONObject schedule = answer.optJSONObject("schedule");
    JSONObject finalSchedule = schedule == null ? null : schedule.optJSONObject("final_schedule");
    JSONArray rendered = finalSchedule == null ? null : finalSchedule.optJSONArray("rendered_schedule_entries");
    if (rendered == null) {
      throw new RestApiException(Failure.SERVER_ERROR, "PagerDuty's answer when " + what
          + " holds no rendered schedule entries.");
    }
    List<OnCallListing.Entry> entries = new ArrayList<>();
    for (int i = 0; i < rendered.length(); i++) {
      entry(rendered.optJSONObject(i), scheduleId, now).ifPresent(entries::add);
    }
    return entries;
  }

  /** A rendered entry as an on-call entry, if it covers now and names a user. */
  private Optional<OnCallListing.Entry> entry(JSONObject rendered, String scheduleId, Instant now) {
    Optional<OnCallListing.UserReference> user =
        OnCallListing.UserReference.of(rendered == null ? null : rendered.optJSONObject("user"), api);
    if (user.isEmpty()) {
      log.warning("Skipped an entry of schedule " + scheduleId + " without a usable user id");
      return Optional.empty();
    }
    Optional<Instant> start = OnCallListing.dateTime(rendered.opt("start"));
    Optional<Instant> end = OnCallListing.dateTime(rendered.opt("end"));
    if (start.isEmpty() || start.get().isAfter(now) || end.isPresent() && !end.get().isAfter(now)) {
      return Optional.empty();
    }
    return Optional.of(new OnCallListing.Entry(1, user.get().id(), user.get().name(), true, "", scheduleId, end));
  }
}
