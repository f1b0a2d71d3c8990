package phoneduty.oncall;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import phoneduty.pagerduty.Failure;
import phoneduty.pagerduty.RestApiClient;
import phoneduty.pagerduty.RestApiException;

/**
 * Keeps the rosters of the lines in use current, so that a call never waits on PagerDuty: every
 * minute (cron) for all lines a call used in the last {@link #IN_USE} days, and on demand for
 * one ({@link RosterRefreshQueue}: a roster found old, or a shift that has just ended).
 *
 * <p>A refresh that PagerDuty fails changes nothing: calls go on ringing the last roster known.
 * After a 429 the {@link RestApiClient} holds every request until PagerDuty's reset, so the next
 * runs end at once without a request until then.
 */
public final class RosterRefresh {

  /** Lines no call used for this long are no longer refreshed. */
  static final Duration IN_USE = Duration.ofDays(7);
  /** The most lines one run refreshes; far more than a deployment has. */
  static final int MAX_LINES = 500;
  /** One run's time with PagerDuty: a cron request may take 10 minutes, a run should end well before the next. */
  static final Duration BUDGET = Duration.ofSeconds(30);
  private static final Logger log = Logger.getLogger(RosterRefresh.class.getName());

  private final RosterFetcher fetcher;
  private final RosterStore store;
  private final OnCallCache cache;
  private final RosterRefreshQueue queue;
  private final Clock clock;

  public RosterRefresh(RosterFetcher fetcher, RosterStore store, OnCallCache cache, RosterRefreshQueue queue,
      Clock clock) {
    this.fetcher = fetcher;
    this.store = store;
    this.cache = cache;
    this.queue = queue;
    this.clock = clock;
  }

  /** Refreshes every line in use; says what it did, in a line for the task's log. */
  public String refreshAll() {
    List<RosterKey> lines = store.usedSince(clock.instant().minus(IN_USE), MAX_LINES);
    if (lines.isEmpty()) {
      return "no line in use";
    }
    return refresh(lines);
  }

  /** Refreshes one line. */
  public String refresh(RosterKey line) {
    return refresh(List.of(line));
  }

  private String refresh(List<RosterKey> lines) {
    try {
      Map<RosterKey, Roster> rosters = fetcher.fetch(lines, new RestApiClient.Budget(BUDGET));
      rosters.forEach((line, roster) -> {
        store.save(line, roster);
        cache.putRoster(line, roster);
        queue.requestAfterNextHandover(line, roster);
      });
      String done = "refreshed " + rosters.size() + " roster(s)";
      log.info("On-call " + done);
      return done;
    } catch (RestApiException e) {
      String text = "kept the rosters held for " + lines.size() + " line(s): PagerDuty failed (" + e.failure() + "): "
          + e.reason();
      if (e.failure() == Failure.RATE_LIMITED) {
        log.info("On-call refresh backs off: " + text);
      } else {
        log.warning("On-call refresh " + text);
      }
      return text;
    }
  }
}
