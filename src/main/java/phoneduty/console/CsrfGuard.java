package phoneduty.console;

import com.google.appengine.api.datastore.DatastoreService;
import com.google.appengine.api.datastore.Entity;
import com.google.appengine.api.datastore.EntityNotFoundException;
import com.google.appengine.api.datastore.Key;
import com.google.appengine.api.datastore.KeyFactory;
import com.google.appengine.api.datastore.ShortBlob;
import com.google.appengine.api.datastore.Transaction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Refuses cross-site POSTs to the console, twice over: the browser's own word ({@code
 * Sec-Fetch-Site}, {@code Origin}) must name this site, and the form must carry a token that only
 * a page of the console hands out (an HMAC of the user and the time, under a secret kept in
 * Datastore so that every instance accepts it).
 */
public final class CsrfGuard {

  static final String FIELD = "csrf";
  static final Duration LIFETIME = Duration.ofHours(12);
  private static final Key SECRET_KEY = KeyFactory.createKey("ConsoleSecret", "csrf");

  private final Supplier<byte[]> secret;
  private final Clock clock;

  public CsrfGuard(Supplier<byte[]> secret, Clock clock) {
    this.secret = secret;
    this.clock = clock;
  }

  /** The secret in Datastore, made once (in a transaction, so two instances agree) and kept in memory. */
  public static Supplier<byte[]> datastoreSecret(DatastoreService datastore, SecureRandom random) {
    return new Supplier<>() {
      private volatile byte[] cached;

      @Override
      public byte[] get() {
        byte[] value = cached;
        if (value == null) {
          value = loadOrCreate(datastore, random);
          cached = value;
        }
        return value;
      }
    };
  }

  private static byte[] loadOrCreate(DatastoreService datastore, SecureRandom random) {
    Transaction transaction = datastore.beginTransaction();
    try {
      try {
        return ((ShortBlob) datastore.get(transaction, SECRET_KEY).getProperty("value")).getBytes();
      } catch (EntityNotFoundException e) {
        byte[] made = new byte[32];
        random.nextBytes(made);
        Entity entity = new Entity(SECRET_KEY);
        entity.setUnindexedProperty("value", new ShortBlob(made));
        datastore.put(transaction, entity);
        transaction.commit();
        return made;
      }
    } finally {
      if (transaction.isActive()) {
        transaction.rollback();
      }
    }
  }

  /** A token for this user's forms. */
  public String token(String user) {
    long issued = clock.instant().getEpochSecond();
    return issued + "." + mac(user, issued);
  }

  /**
   * Why this POST is refused, or empty when it came from a console page of this site.
   *
   * @param siteOrigin this site as a browser names it ("https://example.appspot.com")
   * @param origin the request's {@code Origin} header, or null
   * @param fetchSite the request's {@code Sec-Fetch-Site} header, or null
   * @param token the form's token, or null
   */
  public Optional<String> refusal(String siteOrigin, String origin, String fetchSite, String token, String user) {
    if (fetchSite != null && !fetchSite.equals("same-origin")) {
      return Optional.of("cross-site request refused (Sec-Fetch-Site: not same-origin)");
    }
    if (origin != null && !origin.equalsIgnoreCase(siteOrigin)) {
      return Optional.of("cross-site request refused (Origin is another site)");
    }
    if (origin == null && fetchSite == null) {
      return Optional.of("request refused: the browser sent neither Origin nor Sec-Fetch-Site");
    }
    if (token == null || !valid(token, user)) {
      return Optional.of("request refused: the form's token is missing, expired or not for you; reload the page");
    }
    return Optional.empty();
  }

  private boolean valid(String token, String user) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    long issued;
    try {
      issued = Long.parseLong(token.substring(0, dot));
    } catch (NumberFormatException e) {
      return false;
    }
    long age = clock.instant().getEpochSecond() - issued;
    if (age < 0 || age > LIFETIME.toSeconds()) {
      return false;
    }
    return MessageDigest.isEqual(mac(user, issued).getBytes(StandardCharsets.US_ASCII),
        token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
  }

  private String mac(String user, long issued) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.get(), "HmacSHA256"));
      byte[] digest = mac.doFinal((user + "\n" + issued).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Every JDK has HmacSHA256", e);
    }
  }
}
