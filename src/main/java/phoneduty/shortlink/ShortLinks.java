package phoneduty.shortlink;

import com.google.appengine.api.datastore.DatastoreService;
import com.google.appengine.api.datastore.Entity;
import com.google.appengine.api.datastore.EntityNotFoundException;
import com.google.appengine.api.datastore.FetchOptions;
import com.google.appengine.api.datastore.Key;
import com.google.appengine.api.datastore.KeyFactory;
import com.google.appengine.api.datastore.Query;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import phoneduty.twilio.TwilioRecording;

/**
 * The app's own short links (the Google URL Shortener the old app used is gone): a random code
 * stored in Datastore against its target, served by {@link ShortLinkServlet} at {@code /r/CODE}.
 *
 * <p>Codes are 12 characters from a 62-letter alphabet drawn with a {@code SecureRandom}: about 71
 * bits, so a recording's link cannot be guessed from another's. A link may point only to a Twilio
 * recording ({@link TwilioRecording}), so {@code /r/} can never redirect anywhere else.
 *
 * <p>A link works for {@code ttl} ({@code LINK_TTL_DAYS}) after it was stored, by the injected
 * clock and the {@code created} time stored with it; after that {@link #find} says it expired
 * (410), and {@link #deleteExpired} (a daily cron job) deletes it {@link #KEPT_EXPIRED} later.
 */
public record ShortLinks(DatastoreService datastore, Random random, Clock clock, Duration ttl) {

  public static final Duration DEFAULT_TTL = Duration.ofDays(90);
  /** How long an expired link still answers "expired" before it is deleted and answers "no such link". */
  public static final Duration KEPT_EXPIRED = Duration.ofDays(30);
  /** Datastore deletes at most 500 keys per call. */
  static final int DELETE_BATCH = 500;

  /** Links that live {@link #DEFAULT_TTL}. */
  public ShortLinks(DatastoreService datastore, Random random, Clock clock) {
    this(datastore, random, clock, DEFAULT_TTL);
  }

  /** A stored link as {@code /r/CODE} finds it: its target, and whether it is past its time. */
  public record Found(URI target, boolean expired) {}

  static final String KIND = "ShortLink";
  public static final String PATH = "/r/";
  static final int CODE_LENGTH = 12;
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9]{" + CODE_LENGTH + "}");

  /** Whether a short link may redirect to this target: only a Twilio recording's audio. */
  public static boolean mayPointTo(URI target) {
    return TwilioRecording.isAudio(target);
  }

  /**
   * Draws a new code for the target without storing it: the link can go into a page at once and
   * be stored later, before anybody can follow it (the delivery task stores it before it sends the
   * page), so the webhook that makes it does not wait on Datastore.
   *
   * @param baseUrl the app's public base URL, to which {@code /r/CODE} is appended
   */
  public ShortLink reserve(URI target, String baseUrl) {
    requireAllowed(target);
    String code = newCode();
    return new ShortLink(code, baseUrl + PATH + code, target);
  }

  /**
   * Stores the link; storing the same link again is harmless (a task retried after it stored).
   *
   * <p>One put, no transaction: a code is 71 random bits, so even after a million links the chance
   * that a new code hits an existing one is about 1 in 2^51.
   */
  public void store(ShortLink link) {
    if (!CODE.matcher(link.code()).matches()) {
      throw new IllegalArgumentException("Not a short link code");
    }
    requireAllowed(link.target());
    Entity entity = new Entity(KeyFactory.createKey(KIND, link.code()));
    entity.setUnindexedProperty("target", link.target().toString());
    // Indexed: the daily deletion finds expired links by it.
    entity.setProperty("created", Date.from(clock.instant()));
    datastore.put(entity);
  }

  /** The target of a code, or empty when the code is malformed, unknown, expired or its target not allowed. */
  public Optional<URI> resolve(String code) {
    return find(code).filter(link -> !link.expired()).map(Found::target);
  }

  /** The link of a code, expired or not; empty when the code is malformed, unknown or its target not allowed. */
  public Optional<Found> find(String code) {
    if (code == null || !CODE.matcher(code).matches()) {
      return Optional.empty();
    }
    Entity link;
    try {
      link = datastore.get(KeyFactory.createKey(KIND, code));
    } catch (EntityNotFoundException e) {
      return Optional.empty();
    }
    Object target = link.getProperty("target");
    if (!(target instanceof String) || !mayPointTo(URI.create((String) target))) {
      return Optional.empty();
    }
    Object created = link.getProperty("created");
    // Without a creation time a link cannot be dated, so it is kept (store has always written one).
    boolean expired = created instanceof Date
        && clock.instant().isAfter(((Date) created).toInstant().plus(ttl));
    return Optional.of(new Found(URI.create((String) target), expired));
  }

  /**
   * Deletes the links that expired more than {@link #KEPT_EXPIRED} ago, so a link to a caller's
   * voicemail is not kept forever.
   *
   * @return how many were deleted
   */
  public int deleteExpired() {
    Date cutoff = Date.from(clock.instant().minus(ttl).minus(KEPT_EXPIRED));
    Query query = new Query(KIND).setKeysOnly()
        .setFilter(new Query.FilterPredicate("created", Query.FilterOperator.LESS_THAN, cutoff));
    int deleted = 0;
    List<Key> batch;
    do {
      batch = datastore.prepare(query).asList(FetchOptions.Builder.withLimit(DELETE_BATCH)).stream()
          .map(Entity::getKey).toList();
      datastore.delete(batch);
      deleted += batch.size();
    } while (batch.size() == DELETE_BATCH);
    return deleted;
  }

  private static void requireAllowed(URI target) {
    if (!mayPointTo(target)) {
      throw new IllegalArgumentException("A short link may point only to a Twilio recording");
    }
  }

  private String newCode() {
    char[] code = new char[CODE_LENGTH];
    for (int i = 0; i < code.length; i++) {
      code[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(code);
  }
}
