package phoneduty.pagerduty;

import com.google.appengine.api.memcache.Expiration;
import com.google.appengine.api.memcache.MemcacheService;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * Requests to PagerDuty's REST API v2 (GETs of the on-call side, the POST of an incident note),
 * each answered with its JSON or a {@link RestApiException} that says why not.
 *
 * <p>Every request carries {@code Authorization: Token token=…}, {@code Accept:
 * application/vnd.pagerduty+json;version=2} and {@code Content-Type: application/json} (the
 * OpenAPI spec marks both headers required on every operation). Its connect and read timeouts
 * are the settings' values or what is left of the caller's {@link Budget}, whichever is shorter.
 *
 * <p>A 429 stores "not before now + {@code ratelimit-reset} seconds" (falling back to {@code
 * Retry-After}, then {@link #DEFAULT_RATE_LIMIT_WAIT}; capped at {@link #MAX_RATE_LIMIT_WAIT}) in
 * Memcache as an instant, compared with the injected clock; {@link #failIfRateLimited} checks it.
 * PagerDuty rate-limits per token, so this is one app-wide memo. The token never appears in a log
 * line or a reason.
 */
public final class RestApiClient {

  public static final String ACCEPT = "application/vnd.pagerduty+json;version=2";
  /** Waited after a 429 that carries neither {@code ratelimit-reset} nor {@code Retry-After}. */
  public static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(30);
  /** The longest a 429 stops requests for, whatever PagerDuty says. */
  public static final Duration MAX_RATE_LIMIT_WAIT = Duration.ofMinutes(5);
  public static final String RATE_LIMIT_KEY = "phoneduty.oncall.v1.rate-limited-until";
  private static final Duration MIN_REQUEST_TIME = Duration.ofMillis(100);
  private static final Logger log = Logger.getLogger(RestApiClient.class.getName());

  private final Optional<String> token;
  private final String baseUrl;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final MemcacheService memo;
  private final Clock clock;

  /**
   * @param memo holds the app-wide rate-limit memo
   * @param clock decides when a 429's reset has passed (Memcache's own expiry runs on real time)
   */
  public RestApiClient(Optional<String> token, URI baseUrl, Duration connectTimeout, Duration readTimeout,
      MemcacheService memo, Clock clock) {
    this.token = token;
    this.baseUrl = baseUrl.toString().replaceAll("/+$", "");
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.memo = memo;
    this.clock = clock;
  }

  public boolean hasToken() {
    return token.isPresent();
  }

  /**
   * The time several requests may take together. It runs on the monotonic clock: it bounds real
   * time spent waiting on the network, which an injected clock cannot shorten.
   */
  public static final class Budget {
    private final Duration total;
    private final long end;

    public Budget(Duration total) {
      this.total = total;
      this.end = System.nanoTime() + total.toNanos();
    }

    long remainingMillis() {
      return Math.max(0, (end - System.nanoTime()) / 1_000_000);
    }

    String describe() {
      return String.format(Locale.ROOT, "%.1f s", total.toMillis() / 1000.0);
    }
  }

  /**
   * The JSON of a 200 answer to {@code GET pathAndQuery}.
   *
   * @param what what the request is for, as the reason of a failure tells it ("listing who is on call for …")
   */
  public JSONObject get(String pathAndQuery, String what, Budget budget) throws RestApiException {
    return request("GET", pathAndQuery, null, Map.of(), what, budget);
  }

  /**
   * The JSON of a 2xx answer to {@code POST path} with this JSON body.
   *
   * @param headers sent on top of the usual ones (the {@code From} of an incident note)
   */
  public JSONObject post(String path, JSONObject body, Map<String, String> headers, String what, Budget budget)
      throws RestApiException {
    return request("POST", path, body.toString().getBytes(StandardCharsets.UTF_8), headers, what, budget);
  }

  private JSONObject request(String method, String pathAndQuery, byte[] body, Map<String, String> headers,
      String what, Budget budget) throws RestApiException {
    long remaining = budget.remainingMillis();
    if (remaining < MIN_REQUEST_TIME.toMillis()) {
      throw new RestApiException(Failure.TIMEOUT, "PagerDuty was too slow: " + budgetName(body)
          + budget.describe() + " budget ran out before " + what + ".");
    }
    int connectMillis = (int) Math.min(connectTimeout.toMillis(), remaining);
    int readMillis = (int) Math.min(readTimeout.toMillis(), remaining);
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) URI.create(baseUrl + pathAndQuery).toURL().openConnection();
      connection.setConnectTimeout(connectMillis);
      connection.setReadTimeout(readMillis);
      connection.setRequestMethod(method);
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setRequestProperty("Authorization", "Token token=" + token.orElseThrow());
      connection.setRequestProperty("Accept", ACCEPT);
      connection.setRequestProperty("Content-Type", "application/json");
      headers.forEach(connection::setRequestProperty);
      if (body != null) {
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int status = connection.getResponseCode();
      String answer = PagerDutyAnswers.body(connection, status);
      if (status == 200 || (body != null && status / 100 == 2)) {
        try {
          return answer.isBlank() && body != null ? new JSONObject() : new JSONObject(answer);
        } catch (JSONException e) {
          throw new RestApiException(Failure.SERVER_ERROR, "PagerDuty's answer when " + what + " was not JSON.");
        }
      }
      throw failure(status, connection, answer, what, body != null);
    } catch (SocketTimeoutException e) {
      boolean spent = budget.remainingMillis() < MIN_REQUEST_TIME.toMillis();
      throw new RestApiException(Failure.TIMEOUT, "PagerDuty did not answer within "
          + (spent ? budgetName(body) + budget.describe() + " budget" : readMillis + " ms") + " when " + what + ".");
    } catch (ConnectException | UnknownHostException | NoRouteToHostException e) {
      throw new RestApiException(Failure.UNREACHABLE, "PagerDuty could not be reached at " + baseUrl
          + " when " + what + " (" + scrub(e.getClass().getSimpleName() + ": " + e.getMessage()) + ").");
    } catch (IOException e) {
      throw new RestApiException(Failure.UNREACHABLE, "The connection to PagerDuty at " + baseUrl + " failed when "
          + what + " (" + scrub(e.getClass().getSimpleName() + ": " + e.getMessage()) + ").");
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  private static String budgetName(byte[] body) {
    return body == null ? "the on-call lookup's " : "the request's ";
  }

  /** Fails at once while a recent 429's reset has not passed, so no request is wasted. */
  public void failIfRateLimited() throws RestApiException {
    Object until;
    try {
      until = memo.get(RATE_LIMIT_KEY);
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Memcache get failed; carrying on without the rate-limit memo", e);
      return;
    }
    if (until instanceof Long) {
      Instant instant = Instant.ofEpochMilli((Long) until);
      Instant now = clock.instant();
      if (now.isBefore(instant)) {
        throw new RestApiException(Failure.RATE_LIMITED, "PagerDuty is rate limiting phoneduty's REST API token;"
            + " no requests until " + instant + " (" + Duration.between(now, instant).toSeconds() + " s from now).");
      }
    }
  }

  /** Removes the token and control characters from text that came from elsewhere. */
  public String scrub(String text) {
    String clean = text == null ? "" : text.replaceAll("[\\p{Cntrl}]", " ");
    return token.filter(t -> !t.isEmpty()).map(t -> clean.replace(t, "(token)")).orElse(clean);
  }

  /** @param write whether the request writes (a note), which needs other access than reading on-calls */
  private RestApiException failure(int status, HttpURLConnection connection, String body, String what, boolean write) {
    String errors = scrub(PagerDutyAnswers.errors(body));
    String pagerDuty = " (HTTP " + status + (errors.isEmpty() ? "" : ", " + errors) + ")";
    if (status == 401) {
      return new RestApiException(Failure.UNAUTHORIZED, "PagerDuty refused the REST API token when " + what
          + pagerDuty + "; PAGERDUTY_API_TOKEN is wrong, revoked or not a REST API key.");
    }
    if (status == 403) {
      return new RestApiException(Failure.FORBIDDEN, "PagerDuty does not let the REST API token see this when "
          + what + pagerDuty + (write ? "; the token needs write access to incidents (incidents.write)."
          : "; the token needs read access to on-calls and users' contact methods."));
    }
    if (status == 404) {
      return new RestApiException(Failure.NOT_FOUND, "PagerDuty found nothing when " + what + pagerDuty + ".");
    }
    if (status == 429) {
      Duration wait = rateLimitWait(connection);
      Instant until = clock.instant().plus(wait);
      try {
        memo.put(RATE_LIMIT_KEY, until.toEpochMilli(), Expiration.byDeltaMillis((int) wait.plusSeconds(1).toMillis()));
      } catch (RuntimeException e) {
        log.log(Level.WARNING, "Memcache put failed; the rate limit is not remembered", e);
      }
      return new RestApiException(Failure.RATE_LIMITED, "PagerDuty is rate limiting phoneduty's REST API token"
          + pagerDuty + " when " + what + "; no more requests until " + until + " (" + wait.toSeconds() + " s).");
    }
    if (status >= 500) {
      return new RestApiException(Failure.SERVER_ERROR, "PagerDuty failed when " + what + pagerDuty + ".");
    }
    if (status >= 400) {
      return new RestApiException(Failure.BAD_REQUEST, "PagerDuty rejected the request when " + what + pagerDuty
          + (write ? "; check PAGERDUTY_USER_EMAIL (a user of the account)." : "; check the escalation policy and schedule ids."));
    }
    return new RestApiException(Failure.SERVER_ERROR, "PagerDuty gave an unexpected answer when " + what + pagerDuty + ".");
  }

  /** {@code ratelimit-reset} (seconds to wait), else {@code Retry-After}, else a default; capped. */
  private Duration rateLimitWait(HttpURLConnection connection) {
    for (String header : List.of("ratelimit-reset", "Retry-After")) {
      String value = connection.getHeaderField(header);
      if (value == null) {
        continue;
      }
      try {
        long seconds = (long) Math.ceil(Double.parseDouble(value.trim()));
        if (seconds > 1_000_000_000L) {
          // Some APIs send an epoch time here; PagerDuty documents seconds, but be safe.
          seconds = seconds - clock.instant().getEpochSecond();
        }
        Duration wait = Duration.ofSeconds(Math.max(1, seconds));
        return wait.compareTo(MAX_RATE_LIMIT_WAIT) > 0 ? MAX_RATE_LIMIT_WAIT : wait;
      } catch (NumberFormatException e) {
        log.warning("PagerDuty sent an unreadable " + header + " header");
      }
    }
    return DEFAULT_RATE_LIMIT_WAIT;
  }
}
