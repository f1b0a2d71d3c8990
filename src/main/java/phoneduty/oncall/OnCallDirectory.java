package phoneduty.oncall;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import phoneduty.pagerduty.Failure;
import phoneduty.pagerduty.RestApiClient;
import phoneduty.pagerduty.RestApiException;

/**
 * Who a call rings: the roster phoneduty holds for the line (instance memory, then Memcache,
 * then Datastore), kept current by {@link RosterRefresh}, so that a call does not wait on
 * PagerDuty and goes on ringing through a PagerDuty outage.
 *
 * <ul>
 *   <li>Only a line with no roster yet (its first call) asks PagerDuty while the caller waits,
 *       within a total budget ({@link #DEFAULT_TOTAL_BUDGET}, well inside the 15 s Twilio gives a
 *       webhook); concurrent first calls on one instance share that one lookup.
 *   <li>A roster older than {@link Freshness#refreshAfter} is still rung, and a background
 *       refresh is queued ({@link RosterRefreshQueue}).
 *   <li>A roster older than {@link Freshness#noteAfter} is said to be so in the incident or change
 *       event: PagerDuty has not answered the refreshes since.
 *   <li>A roster older than {@link Freshness#maxStale} is not rung: the call asks PagerDuty as
 *       for a new line, and goes to voicemail if that fails.
 * </ul>
 *
 * <p>{@link #lookup} never throws for PagerDuty's faults (nor for Memcache's or Datastore's).
 */
public final class OnCallDirectory implements RosterView {

  /** The first lookup's time limit: Twilio waits 15 s for a webhook, which must also answer. */
  public static final Duration DEFAULT_TOTAL_BUDGET = Duration.ofSeconds(6);
  /** How often a call marks its line as used, at most, per instance. */
  static final Duration MARK_USED_EVERY = Duration.ofHours(1);
  private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
  private static final Logger log = Logger.getLogger(OnCallDirectory.class.getName());

  /**
   * How old a roster may be.
   *
   * @param refreshAfter a call finding its roster older asks for a background refresh
   * @param maxStale a roster older than this is not rung
   */
  public record Freshness(Duration refreshAfter, Duration maxStale) {
    /** Past this, the refreshes have failed a few times running: say so. */
    Duration noteAfter() {
      Duration threeRefreshes = refreshAfter.multipliedBy(3);
      return threeRefreshes.compareTo(Duration.ofMinutes(3)) > 0 ? threeRefreshes : Duration.ofMinutes(3);
    }
  }

  private final RosterFetcher fetcher;
  private final OnCallCache cache;
  private final RosterStore store;
  private final RosterRefreshQueue refreshQueue;
  private final Freshness freshness;
  private final Duration totalBudget;
  private final Clock clock;
  private final Map<String, CompletableFuture<Roster>> firstLookups = new ConcurrentHashMap<>();
  private final Map<String, Instant> markedUsed = new ConcurrentHashMap<>();
  private final Map<String, Instant> refreshRequested = new ConcurrentHashMap<>();

  /** @param totalBudget the longest a first lookup may spend talking to PagerDuty */
  public OnCallDirectory(RosterFetcher fetcher, OnCallCache cache, RosterStore store, RosterRefreshQueue refreshQueue,
      Freshness freshness, Duration totalBudget, Clock clock) {
    if (totalBudget.isNegative() || totalBudget.isZero()) {
      throw new IllegalArgumentException("totalBudget must be positive");
    }
    this.fetcher = fetcher;
    this.cache = cache;
    this.store = store;
    this.refreshQueue = refreshQueue;
    this.freshness = freshness;
    this.totalBudget = totalBudget;
    this.clock = clock;
  }

  /**
   * Who a call to these escalation policies and/or schedules rings now (either list may be empty
   * or null, not both), by escalation level. Never throws for PagerDuty faults: returns a failed
   * lookup saying why.
   */
  public OnCallLookup lookup(List<String> escalationPolicyIds, List<String> scheduleIds) {
    RosterKey line;
    try {
      line = RosterKey.of(escalationPolicyIds, scheduleIds);
    } catch (IllegalArgumentException e) {
      return failed(Failure.BAD_REQUEST, e.getMessage());
    }
    if (!fetcher.hasToken()) {
      return failed(Failure.NO_API_TOKEN, "PAGERDUTY_API_TOKEN is not set, so phoneduty cannot ask"
          + " PagerDuty who is on call for " + line.describe() + ".");
    }
    try {
      Instant now = clock.instant();
      Optional<Roster> held = held(line);
      if (held.isPresent() && age(held.get(), now).compareTo(freshness.maxStale()) <= 0) {
        keepCurrent(line, held.get(), now);
        return answer(held.get(), now);
      }
      try {
        return answer(firstLookup(line), now);
      } catch (RestApiException e) {
        String reason = e.reason() + held.map(old -> " The last on-call roster known, from "
            + HOUR_MINUTE.format(old.fetchedAt()) + " UTC, is too old to ring.").orElse("");
        return failed(e.failure(), reason);
      }
    } catch (RuntimeException e) {
      // A bug or an answer shaped past what the parsing expects; the caller must still get an answer.
      log.log(Level.SEVERE, "On-call lookup failed unexpectedly", e);
      return OnCallLookup.failed(Failure.SERVER_ERROR,
          "phoneduty could not work out who is on call from PagerDuty's answer ("
              + fetcher.scrub(e.getClass().getSimpleName()) + ").");
    }
  }

  /** The roster held for a line, without asking PagerDuty: for the console. */
  @Override
  public Optional<Roster> latest(List<String> escalationPolicyIds, List<String> scheduleIds) {
    try {
      return held(RosterKey.of(escalationPolicyIds, scheduleIds));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private Optional<Roster> held(RosterKey line) {
    Optional<Roster> cached = cache.roster(line);
    if (cached.isPresent()) {
      return cached;
    }
    Optional<Roster> stored = store.load(line);
    stored.ifPresent(roster -> cache.putRosterInBackground(line, roster));
    return stored;
  }

  /** Marks the line used now and then, and asks for a refresh when its roster is due one. */
  private void keepCurrent(RosterKey line, Roster roster, Instant now) {
    Instant marked = markedUsed.get(line.id());
    if (marked == null || !now.isBefore(marked.plus(MARK_USED_EVERY))) {
      markedUsed.put(line.id(), now);
      store.markUsed(line, now);
    }
    if (age(roster, now).compareTo(freshness.refreshAfter()) > 0) {
      Instant requested = refreshRequested.get(line.id());
      if (requested == null || !now.isBefore(requested.plus(freshness.refreshAfter()))) {
        refreshRequested.put(line.id(), now);
        refreshQueue.request(line);
      }
    }
  }

  /** Asks PagerDuty for a line nothing is held for; concurrent calls for the line share one request. */
  private Roster firstLookup(RosterKey line) throws RestApiException {
    CompletableFuture<Roster> mine = new CompletableFuture<>();
    CompletableFuture<Roster> running = firstLookups.putIfAbsent(line.id(), mine);
    if (running != null) {
      return await(running, line);
    }
    try {
      Roster roster = fetcher.fetch(List.of(line), new RestApiClient.Budget(totalBudget)).get(line);
      store.save(line, roster);
      cache.putRoster(line, roster);
      refreshQueue.requestAfterNextHandover(line, roster);
      markedUsed.put(line.id(), clock.instant());
      store.markUsed(line, clock.instant());
      log.info("On-call lookup for a new line: " + roster.reason());
      mine.complete(roster);
      return roster;
    } catch (RestApiException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      firstLookups.remove(line.id(), mine);
    }
  }

  private Roster await(CompletableFuture<Roster> running, RosterKey line) throws RestApiException {
    try {
      return running.get(totalBudget.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RestApiException failure) {
        throw failure;
      }
      throw new IllegalStateException("the shared on-call lookup failed", e.getCause());
    } catch (TimeoutException e) {
      throw new RestApiException(Failure.TIMEOUT, "PagerDuty did not answer in time who is on call for "
          + line.describe() + ".");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RestApiException(Failure.TIMEOUT, "The on-call lookup for " + line.describe() + " was interrupted.");
    }
  }

  private OnCallLookup answer(Roster held, Instant now) {
    Roster roster = held.onCallAt(now);
    if (!roster.anyoneToRing()) {
      return failed(roster.emptyBecause().orElse(Failure.NOBODY_ON_CALL), roster.reason());
    }
    Optional<String> note = age(roster, now).compareTo(freshness.noteAfter()) > 0
        ? Optional.of("on-call roster from " + HOUR_MINUTE.format(roster.fetchedAt()) + " UTC; PagerDuty unreachable")
        : Optional.empty();
    note.ifPresent(text -> log.warning("Ringing an old roster: " + text));
    return OnCallLookup.found(roster.levels(), roster.loops(), roster.reason(), note);
  }

  private static Duration age(Roster roster, Instant now) {
    return Duration.between(roster.fetchedAt(), now);
  }

  private static OnCallLookup failed(Failure failure, String reason) {
    log.log(failure.isMisconfiguration() || failure == Failure.NO_PHONE_NUMBERS ? Level.SEVERE : Level.WARNING,
        "On-call lookup failed, " + failure + ": " + reason);
    return OnCallLookup.failed(failure, reason);
  }
}
