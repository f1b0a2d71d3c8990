package phoneduty.twilio;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches the MP3 of one recording of this app's Twilio account from Twilio's REST API, with HTTP
 * basic auth (account SID and auth token), so the account can enforce HTTP auth on its media URLs.
 *
 * <p>Only a recording of this account is ever fetched ({@link #mediaPath}): the target's host must
 * be {@code api.twilio.com} and the account SID in its path this account's, and the request goes
 * to the configured base URL with that path only, so a stored link can make phoneduty request
 * nothing else (no server-side request forgery). A client's {@code Range} goes along, so a phone's
 * player can seek. Twilio may redirect to a short-lived signed URL on its CDN; that is followed
 * without the credentials, which go nowhere but the base URL. The auth token never appears in a
 * reason or a log line. Twilio has the read timeout to start answering and again for every read
 * of the body, so a recording that stalls halfway does not hold a request thread until App
 * Engine's deadline.
 */
public final class TwilioMediaClient {

  /** The time to open a connection to Twilio. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Pattern RECORDING_PATH =
      Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Recordings/(RE[0-9a-fA-F]{32})(\\.mp3)?");
  /** What a player asks for: one or more byte ranges, nothing else is passed on. */
  private static final Pattern RANGE = Pattern.compile("bytes=[0-9]*-[0-9]*( *, *[0-9]*-[0-9]*){0,7}");
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  /** Twilio redirects once, to its CDN; a chain longer than this is not a recording. */
  private static final int MAX_REDIRECTS = 3;

  private final String accountSid;
  private final String authToken;
  private final String authorization;
  private final String baseUrl;
  private final Duration readTimeout;
  private final HttpClient http;

  /**
   * @param baseUrl Twilio's REST API, {@code https://api.twilio.com} (tests: a fake on loopback)
   * @param readTimeout how long Twilio has to start answering, and to send more of the body
   */
  public TwilioMediaClient(String accountSid, String authToken, URI baseUrl, Duration readTimeout) {
    this.accountSid = accountSid;
    this.authToken = authToken;
    this.authorization = "Basic " + Base64.getEncoder()
        .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
    this.baseUrl = baseUrl.toString().replaceAll("/+$", "");
    this.readTimeout = readTimeout;
    this.http = HttpClient.newBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /**
   * The path to request for a stored target ({@code /2010-04-01/Accounts/AC…/Recordings/RE….mp3}),
   * or empty when the target is not a recording of this account on {@code https://api.twilio.com}.
   */
  public Optional<String> mediaPath(URI target) {
    if (target == null || !"https".equals(target.getScheme()) || !"api.twilio.com".equals(target.getHost())
        || target.getRawUserInfo() != null || target.getPort() != -1 || target.getRawQuery() != null
        || target.getRawFragment() != null || target.getRawPath() == null) {
      return Optional.empty();
    }
    Matcher path = RECORDING_PATH.matcher(target.getRawPath());
    if (!path.matches() || !path.group(1).equals(accountSid)) {
      return Optional.empty();
    }
    return Optional.of("/2010-04-01/Accounts/" + path.group(1) + "/Recordings/" + path.group(2) + ".mp3");
  }

  /**
   * Twilio's answer for the recording at this path (from {@link #mediaPath}), its body not read yet.
   *
   * @param range the client's {@code Range} header; passed on when it is a plain byte range
   * @throws MediaException when Twilio has no such recording or gave no audio
   */
  public Media fetch(String path, Optional<String> range) throws MediaException {
    if (!RECORDING_PATH.matcher(path).matches()) {
      throw new IllegalArgumentException("Not a recording path");
    }
    Optional<String> asked = range.map(String::strip).filter(r -> r.length() <= 200 && RANGE.matcher(r).matches());
    HttpResponse<InputStream> response = send(URI.create(baseUrl + path), asked, true);
    boolean redirected = false;
    for (int hops = 0; REDIRECTS.contains(response.statusCode()) && hops < MAX_REDIRECTS; hops++) {
      discard(response.body());
      URI from = response.uri();
      Optional<URI> next = response.headers().firstValue("Location").flatMap(location -> redirectTarget(from, location));
      if (next.isEmpty()) {
        throw new MediaException(false, "Twilio gave no audio (" + response.statusCode() + ")",
            "Twilio answered " + response.statusCode() + " without a usable https Location");
      }
      // The signed short-lived URL is the credential: the account's go nowhere but the base URL.
      response = send(next.get(), asked, false);
      redirected = true;
    }
    int status = response.statusCode();
    if (status == 200 || status == 206 || status == 416) {
      HttpHeaders headers = response.headers();
      return new Media(status, headers.firstValueAsLong("Content-Length"), headers.firstValue("Content-Range"),
          headers.firstValue("Accept-Ranges"), new StallGuard(response.body(), readTimeout));
    }
    discard(response.body());
    String detail = (redirected ? "Twilio's media storage answered " : "Twilio answered ") + status;
    if (status == 404) {
      throw new MediaException(true, "No such recording", detail);
    }
    if (!redirected && (status == 401 || status == 403)) {
      throw new MediaException(false, "Twilio refused the account credentials", detail
          + ": check " + "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN");
    }
    if (REDIRECTS.contains(status)) {
      detail += " after " + MAX_REDIRECTS + " redirects";
    }
    throw new MediaException(false, status / 100 == 5 ? "Twilio failed (" + status + ")"
        : "Twilio gave no audio (" + status + ")", detail);
  }

  /**
   * Where a redirect from Twilio leads: Twilio may answer an authenticated media request with a
   * short-lived signed URL on its CDN. Only https is followed (or the base URL's own scheme, for a
   * fake on loopback), and never with the account's credentials.
   */
  private Optional<URI> redirectTarget(URI from, String location) {
    try {
      URI target = from.resolve(location.strip());
      String scheme = target.getScheme();
      boolean allowed = "https".equals(scheme) || URI.create(baseUrl).getScheme().equals(scheme);
      return allowed && target.getHost() != null && target.getRawUserInfo() == null ? Optional.of(target) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private HttpResponse<InputStream> send(URI uri, Optional<String> range, boolean withCredentials) throws MediaException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .timeout(readTimeout)
        .header("Accept", "audio/mpeg")
        .GET();
    if (withCredentials) {
      request.header("Authorization", authorization);
    }
    range.ifPresent(r -> request.header("Range", r));
    String where = withCredentials ? baseUrl : "Twilio's media storage";
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new MediaException(false, "Twilio did not answer in time", "no answer from " + where + " within "
          + (e instanceof java.net.http.HttpConnectTimeoutException ? CONNECT_TIMEOUT : readTimeout).toMillis() + " ms");
    } catch (ConnectException e) {
      throw new MediaException(false, "Twilio could not be reached", "could not connect to " + where
          + " (" + scrub(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
    } catch (IOException e) {
      throw new MediaException(false, "Twilio could not be reached", "the connection to " + where + " failed ("
          + scrub(e.getClass().getSimpleName() + ": " + e.getMessage()) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MediaException(false, "Twilio could not be reached", "interrupted");
    }
  }

  private static void discard(InputStream body) {
    try (body) {
      body.readNBytes(4096);
    } catch (IOException ignored) {
      // nothing to relay anyway
    }
  }

  /** Removes the token and control characters from text that came from elsewhere. */
  private String scrub(String text) {
    String clean = text == null ? "" : text.replaceAll("[\\p{Cntrl}]", " ");
    return authToken.isEmpty() ? clean : clean.replace(authToken, "(token)");
  }

  /**
   * Twilio's audio answer: 200 with the whole recording, 206 with part of it, or 416 when the range
   * asked for is past its end. The caller relays the body and closes it.
   */
  public record Media(int status, OptionalLong contentLength, Optional<String> contentRange,
      Optional<String> acceptRanges, InputStream body) implements AutoCloseable {
    @Override
    public void close() {
      try {
        body.close();
      } catch (IOException ignored) {
        // the connection goes anyway
      }
    }
  }

  /**
   * Why no audio came.
   *
   * @param notFound Twilio has no such recording (otherwise Twilio failed or could not be asked)
   * @param reason short, for the person following the link
   * @param detail for the log line, never with the token
   */
  public static final class MediaException extends Exception {
    private final boolean notFound;
    private final String reason;

    MediaException(boolean notFound, String reason, String detail) {
      super(reason + ": " + detail);
      this.notFound = notFound;
      this.reason = reason;
    }

    public boolean notFound() {
      return notFound;
    }

    public String reason() {
      return reason;
    }
  }
}
