package phoneduty.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.json.JSONObject;

/**
 * Twilio's recording media on loopback, for an account that enforces HTTP auth on media URLs:
 * {@code GET /2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}.mp3} answers 401 unless
 * the {@code Authorization} header is exactly basic auth with the account SID and auth token it
 * was given, 404 for a recording it does not hold (Twilio's JSON error bodies), and otherwise the
 * recording's bytes as {@code audio/mpeg}, honouring a single {@code Range} (206 with {@code
 * Content-Range}, 416 past the end) as Twilio does. With {@link #viaCdn} it answers an
 * authenticated request as Twilio may, with a 302 to a short-lived signed URL on its "CDN" (here
 * {@code /cdn/{RecordingSid}.mp3?Expires=…&Signature=…}), which serves the audio without auth.
 * It keeps every request it got.
 */
public final class FakeTwilioMedia implements AutoCloseable {

  public static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
  private static final Pattern PATH =
      Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-fA-F]{32})/Recordings/(RE[0-9a-fA-F]{32})\\.mp3");
  private static final Pattern RANGE = Pattern.compile("bytes=([0-9]*)-([0-9]*)");
  private static final Pattern CDN_PATH = Pattern.compile("/cdn/(RE[0-9a-fA-F]{32})\\.mp3");
  /** A scripted "status" meaning: hang this long, then answer 504. */
  private static final int HANG = -1;

  /** One request as the fake saw it. */
  public record Request(String method, String path, String authorization, String range) {}

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Map<String, byte[]> recordings = new HashMap<>();
  private final List<Request> requests = new ArrayList<>();
  private final Deque<Integer> scripted = new ArrayDeque<>();
  private int bodiesSent;
  private volatile String expectedAuthorization;
  private volatile Duration hang = Duration.ZERO;
  /** The next audio body stops after this many bytes (negative: it does not) for {@code stall}. */
  private int stallAfter = -1;
  private volatile Duration stall = Duration.ZERO;
  private volatile boolean viaCdn;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

  private FakeTwilioMedia(String accountSid, String authToken) throws IOException {
    acceptOnly(accountSid, authToken);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Twilio for this account, which takes only these credentials. */
  public static FakeTwilioMedia start(String accountSid, String authToken) throws IOException {
    return new FakeTwilioMedia(accountSid, authToken);
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** From now on only these credentials get in (a rotated auth token). */
  public FakeTwilioMedia acceptOnly(String accountSid, String authToken) {
    expectedAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Holds this recording of the account. */
  public synchronized FakeTwilioMedia put(String recordingSid, byte[] audio) {
    recordings.put(recordingSid, audio.clone());
    return this;
  }

  /** The next requests get these statuses (with Twilio-shaped JSON bodies) before normal service. */
  public synchronized FakeTwilioMedia answerNext(int... statuses) {
    for (int status : statuses) {
      scripted.add(status);
    }
    return this;
  }

  /** The next request hangs this long before it gets a 504: past the client's read timeout. */
  public synchronized FakeTwilioMedia hangNext(Duration hang) {
    this.hang = hang;
    scripted.add(HANG);
    return this;
  }

  /**
   * The next audio body goes out with its full {@code Content-Length} but stops after this many
   * bytes for this long (Twilio stalling mid-recording), then the rest follows if anyone still listens.
   */
  public synchronized FakeTwilioMedia stallNext(int afterBytes, Duration stall) {
    this.stallAfter = afterBytes;
    this.stall = stall;
    return this;
  }

  /** From now on a recording is answered with a redirect to its signed CDN URL, as Twilio may. */
  public FakeTwilioMedia viaCdn() {
    viaCdn = true;
    return this;
  }

  /** Every request that reached the fake, in order. */
  public synchronized List<Request> requests() {
    return new ArrayList<>(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Integer status;
      byte[] audio;
      int stopAfter = -1;
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      String range = exchange.getRequestHeaders().getFirst("Range");
      String path = exchange.getRequestURI().getRawPath();
      Matcher recording = PATH.matcher(path);
      Matcher cdn = CDN_PATH.matcher(path);
      boolean signed = cdn.matches() && String.valueOf(exchange.getRequestURI().getRawQuery()).contains("Signature=");
      synchronized (this) {
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(), authorization, range));
        status = scripted.poll();
        audio = recording.matches() ? recordings.get(recording.group(2)) : signed ? recordings.get(cdn.group(1)) : null;
        if (status == null && audio != null) {
          stopAfter = stallAfter;
          stallAfter = -1;
        }
      }
      if (status != null && status == HANG) {
        LoopbackHttp.delay(hang);
        sendError(exchange, 504, 20504, "scripted hang");
        return;
      }
      if (status != null) {
        sendError(exchange, status, 20000 + status, "scripted failure");
        return;
      }
      if (signed && audio != null) {
        sendAudio(exchange, audio, range, stopAfter);
        return;
      }
      if (!expectedAuthorization.equals(authorization)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Twilio API\"");
        sendError(exchange, 401, 20003, "Authenticate");
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod())) {
        sendError(exchange, 405, 20004, "Method not allowed");
        return;
      }
      if (audio == null) {
        sendError(exchange, 404, 20404, "The requested resource " + path + " was not found");
        return;
      }
      if (viaCdn) {
        exchange.getResponseHeaders().set("Location", baseUrl() + "/cdn/" + recording.group(2)
            + ".mp3?Expires=1765000000&Signature=c2lnbmVk");
        exchange.sendResponseHeaders(302, -1);
        return;
      }
      sendAudio(exchange, audio, range, stopAfter);
    }
  }

  private void sendAudio(HttpExchange exchange, byte[] audio, String range, int stopAfter) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "audio/mpeg");
    exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
    int first = 0;
    int last = audio.length - 1;
    int status = 200;
    Matcher asked = range == null ? null : RANGE.matcher(range);
    if (asked != null && asked.matches() && !(asked.group(1).isEmpty() && asked.group(2).isEmpty())) {
      if (asked.group(1).isEmpty()) {
        first = Math.max(0, audio.length - Integer.parseInt(asked.group(2)));
      } else {
        first = Integer.parseInt(asked.group(1));
        if (!asked.group(2).isEmpty()) {
          last = Math.min(last, Integer.parseInt(asked.group(2)));
        }
      }
      if (first >= audio.length || first > last) {
        exchange.getResponseHeaders().set("Content-Range", "bytes */" + audio.length);
        exchange.sendResponseHeaders(416, -1);
        return;
      }
      status = 206;
      exchange.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + audio.length);
    }
    int length = last - first + 1;
    exchange.sendResponseHeaders(status, length);
    try (OutputStream out = exchange.getResponseBody()) {
      int before = stopAfter < 0 ? 0 : Math.min(stopAfter, length);
      if (stopAfter >= 0) {
        out.write(audio, first, before);
        out.flush();
        LoopbackHttp.delay(stall);
      }
      out.write(audio, first + before, length - before);
    } catch (IOException clientGaveUp) {
      if (stopAfter < 0) {
        throw clientGaveUp;
      }
      return;
    }
    synchronized (this) {
      bodiesSent++;
    }
  }

  /** How many audio bodies went out whole: a client that hung up early is not counted. */
  public synchronized int bodiesSent() {
    return bodiesSent;
  }

  private static void sendError(HttpExchange exchange, int status, int code, String message) throws IOException {
    try {
      LoopbackHttp.sendJson(exchange, status, new JSONObject().put("code", code).put("message", message)
          .put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", status));
    } catch (IOException clientGaveUp) {
      // expected after a hang: the client timed out long ago
    }
  }

  /** Stops the server (Twilio unreachable); closing again does nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      LoopbackHttp.stop(server, threads);
    }
  }
}
