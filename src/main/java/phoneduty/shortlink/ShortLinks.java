package phoneduty.shortlink;

import com.google.appengine.api.datastore.DatastoreService;
import com.google.appengine.api.datastore.DatastoreServiceFactory;
import com.google.appengine.api.datastore.Entity;
import com.google.appengine.api.datastore.EntityNotFoundException;
import com.google.appengine.api.datastore.KeyFactory;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Date;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * The app's own short links (the Google URL Shortener the old app used is gone): a random code
 * stored in Datastore against its target, served by {@link ShortLinkServlet} at {@code /r/CODE}.
 *
 * <p>Codes are 12 characters from a 62-letter alphabet drawn with {@link SecureRandom}: about 71
 * bits, so a recording's link cannot be guessed from another's.
 */
public final class ShortLinks {

  static final String KIND = "ShortLink";
  public static final String PATH = "/r/";
  static final int CODE_LENGTH = 12;
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9]{" + CODE_LENGTH + "}");

  private final DatastoreService datastore;
  private final Random random;
  private final Clock clock;

  public ShortLinks() {
    this(DatastoreServiceFactory.getDatastoreService(), new SecureRandom(), Clock.systemUTC());
  }

  public ShortLinks(DatastoreService datastore, Random random, Clock clock) {
    this.datastore = datastore;
    this.random = random;
    this.clock = clock;
  }

  /**
   * Stores a new code for the target.
   *
   * @param baseUrl the app's public base URL, to which {@code /r/CODE} is appended
   * @return the full short URL
   */
  public String create(URI target, String baseUrl) {
    if (!"https".equals(target.getScheme()) && !"http".equals(target.getScheme())) {
      throw new IllegalArgumentException("Only http(s) targets can be shortened");
    }
    // One put, no transaction: a code is 71 random bits, so even after a million links the chance
    // that a new code hits an existing one is about 1 in 2^51. The read-then-write transaction
    // this replaces cost four Datastore calls per voicemail (begin, get, put, commit) and was the
    // largest part of the recording action's time in the benchmark.
    String code = newCode();
    Entity link = new Entity(KeyFactory.createKey(KIND, code));
    link.setUnindexedProperty("target", target.toString());
    link.setUnindexedProperty("created", Date.from(clock.instant()));
    datastore.put(link);
    return baseUrl + PATH + code;
  }

  /** The target of a code, or empty when the code is malformed or unknown. */
  public Optional<URI> resolve(String code) {
    if (code == null || !CODE.matcher(code).matches()) {
      return Optional.empty();
    }
    try {
      Entity link = datastore.get(KeyFactory.createKey(KIND, code));
      return Optional.of(URI.create((String) link.getProperty("target")));
    } catch (EntityNotFoundException e) {
      return Optional.empty();
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
