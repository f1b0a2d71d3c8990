package phoneduty.abuse;

import com.google.appengine.api.memcache.Expiration;
import com.google.appengine.api.memcache.MemcacheService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.text.Text;
import phoneduty.twilio.Caller;

/**
 * Decides which incident a call's or text's page joins, so that one caller, or a flood, wakes the
 * on-call engineer once:
 * <ul>
 *   <li>a contact from the same number to the same line (service key) within {@code
 *       REPEAT_WINDOW_MINUTES} of the first joins the first's incident (its dedup key); a withheld
 *       caller ID ("anonymous") is not one caller, so such contacts never join each other;
 *   <li>once a line has opened {@code LINE_PAGE_LIMIT} incidents within ten minutes, further new
 *       contacts join one "contact flood" incident, which counts them.
 * </ul>
 * A joined contact is still sent to PagerDuty, as an event with the same dedup key: PagerDuty adds
 * it to the open alert's log instead of notifying again, so nothing a caller left is lost. The
 * delivery task decides ({@link #apply}), so the webhook never waits on Memcache for it.
 *
 * <p>The counts live in Memcache. If it fails or forgets, a contact opens its own incident: a
 * second page is the safe way to be wrong.
 */
public final class Folding {

  /** The window of the flood limit; counted in two fixed buckets of this length (see {@link #decide}). */
  static final Duration FLOOD_WINDOW = Duration.ofMinutes(10);
  /** The event's custom detail that says why a contact joined another's incident. */
  public static final String JOINED_DETAIL = "joined_incident";
  /** How long a joined contact's follow-ups (Twilio's transcript comes within minutes) find its incident. */
  static final Duration FOLLOW_UP_WINDOW = Duration.ofHours(1);
  private static final String JOINED = "joined:";
  private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
  private static final Logger log = Logger.getLogger(Folding.class.getName());

  private final MemcacheService memcache;
  private final Duration repeatWindow;
  private final int linePageLimit;
  private final Clock clock;

  public Folding(MemcacheService memcache, Duration repeatWindow, int linePageLimit, Clock clock) {
    this.memcache = memcache;
    this.repeatWindow = repeatWindow;
    this.linePageLimit = linePageLimit;
    this.clock = clock;
  }

  /** How a contact is paged. */
  public enum Outcome { NEW, REPEAT, FLOOD }

  /**
   * @param dedupKey the incident the contact's event goes to
   * @param count for a flood, how many contacts it holds with this one
   * @param since for a flood, when it began
   */
  public record Decision(Outcome outcome, String dedupKey, long count, Optional<Instant> since) {

    /** Whether the contact joins another's incident. */
    public boolean joins() {
      return outcome != Outcome.NEW;
    }

    /** The custom detail that tells the incident (and the call log) why this contact did not page: or null. */
    public String joinedDetail() {
      return switch (outcome) {
        case NEW -> null;
        case REPEAT -> "repeat contact within the repeat window";
        case FLOOD -> "contact flood: " + count + " contacts";
      };
    }

    /** What the event's summary starts with, so the incident's log says why it did not page again. */
    public String summaryPrefix(String lineTail) {
      return switch (outcome) {
        case NEW -> "";
        case REPEAT -> "Repeat contact: ";
        case FLOOD -> "Contact flood on line " + lineTail + ": contact " + count + " since "
            + since.map(HOUR_MINUTE::format).orElse("?") + " UTC. ";
      };
    }
  }

  /**
   * The delivery task's copy of a caller's page: as it is when it opens its own incident, else
   * with the incident it joins and why. Deciding again (a retry) joins the same incident.
   */
  public PagerDutyEvent apply(PagerDutyEvent event) {
    if (!"trigger".equals(event.action())) {
      return event;
    }
    String sid = event.dedupKey();
    Decision decision = decide(event.routingKey(), event.detail("from"), sid);
    return decision.joins()
        ? event.joining(decision.dedupKey(), decision.summaryPrefix(event.routingKey().toString()), JOINED_DETAIL,
            decision.joinedDetail())
        : event;
  }

  /**
   * Which incident this contact's page goes to.
   *
   * @param sid the contact's CallSid or MessageSid, its own dedup key when it opens an incident
   */
  public Decision decide(RoutingKey key, Optional<String> from, String sid) {
    try {
      String line = Text.sha256Hex(key.value()).substring(0, 16);
      Optional<String> repeatKey = from.filter(Caller::identifiesOneCaller).map(n -> "repeat:" + line + ":" + n);
      Optional<Decision> earlier = repeatKey.flatMap(k -> joined(k, sid));
      if (earlier.isPresent()) {
        return remembered(earlier.get(), sid);
      }
      // Two fixed buckets, this one and the last: never more than the limit in any ten minutes.
      long bucket = clock.instant().getEpochSecond() / FLOOD_WINDOW.toSeconds();
      Map<String, Long> offsets = new LinkedHashMap<>();
      offsets.put("pages:" + line + ":" + bucket, 1L);
      offsets.put("pages:" + line + ":" + (bucket - 1), 0L);
      Map<String, Long> counts = memcache.incrementAll(offsets, 0L);
      long opened = counts == null ? 0 : counts.values().stream().mapToLong(n -> n == null ? 0 : n).sum();
      Decision decided = opened <= linePageLimit ? new Decision(Outcome.NEW, sid, 0, Optional.empty()) : flood(line);
      // The caller's repeats join the incident this contact goes to. Claimed only now that it is
      // known: a concurrent first contact from the same number that claimed first wins, and this
      // one joins it, so a claimed key is always one its owner sends with.
      if (repeatKey.isPresent() && !memcache.put(repeatKey.get(), decided.dedupKey(), expiry(repeatWindow),
          MemcacheService.SetPolicy.ADD_ONLY_IF_NOT_PRESENT)) {
        earlier = joined(repeatKey.get(), sid);
        if (earlier.isPresent()) {
          return remembered(earlier.get(), sid);
        }
      }
      return remembered(decided, sid);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Folding: Memcache failed; this contact opens its own incident", e);
      return new Decision(Outcome.NEW, sid, 0, Optional.empty());
    }
  }

  /**
   * The incident a contact joined, for what follows it (a voicemail's transcript); empty when it
   * opened its own, or Memcache has forgotten (the follow-up then goes to the contact's own key).
   */
  public Optional<String> incidentOf(String sid) {
    try {
      return memcache.get(JOINED + sid) instanceof String incident ? Optional.of(incident) : Optional.empty();
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Folding: Memcache failed; a follow-up goes to its contact's own incident", e);
      return Optional.empty();
    }
  }

  private Decision remembered(Decision decision, String sid) {
    if (decision.joins()) {
      memcache.put(JOINED + sid, decision.dedupKey(), expiry(FOLLOW_UP_WINDOW));
    }
    return decision;
  }

  /**
   * The incident an earlier contact from this number claimed, if any. Its own key means this
   * contact decided before (a retry, or forwarding then voicemail): it opens its own incident.
   */
  private Optional<Decision> joined(String repeatKey, String sid) {
    return memcache.get(repeatKey) instanceof String claimed
        ? Optional.of(new Decision(claimed.equals(sid) ? Outcome.NEW : Outcome.REPEAT, claimed, 0, Optional.empty()))
        : Optional.empty();
  }

  /** The line's flood incident (one per ten minutes of flood), with this contact counted in it. */
  private Decision flood(String line) {
    Instant now = clock.instant();
    String floodKey = "flood:" + line;
    memcache.put(floodKey, "flood-" + line + "-" + now.getEpochSecond(), expiry(FLOOD_WINDOW),
        MemcacheService.SetPolicy.ADD_ONLY_IF_NOT_PRESENT);
    Object current = memcache.get(floodKey);
    String dedupKey = current instanceof String s ? s : "flood-" + line + "-" + now.getEpochSecond();
    Long count = memcache.increment("count:" + dedupKey, 1L, 0L);
    Instant since = Instant.ofEpochSecond(Long.parseLong(dedupKey.substring(dedupKey.lastIndexOf('-') + 1)));
    return new Decision(Outcome.FLOOD, dedupKey, count == null ? 1 : count, Optional.of(since));
  }

  private static Expiration expiry(Duration duration) {
    return Expiration.byDeltaSeconds((int) Math.max(1, duration.toSeconds()));
  }
}
