package phoneduty.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * A PagerDuty Events API v2 server on loopback: {@code POST /v2/enqueue} (alert events) and
 * {@code POST /v2/change/enqueue} (change events) check the event against its official schema as
 * PagerDuty does (400 with {@code errors} for an invalid one, 413 for one over 512 KB, 202
 * otherwise) and keep every accepted event. Tests script failures ahead of time: statuses to
 * answer first, a latency, a hang.
 */
public final class FakePagerDuty implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Deque<Integer> scripted = new ArrayDeque<>();
  private final List<JSONObject> accepted = new ArrayList<>();
  private final List<JSONObject> changes = new ArrayList<>();
  private final List<String> attempts = new ArrayList<>();
  private volatile Duration latency = Duration.ZERO;
  private volatile Duration hang = Duration.ZERO;
  /** With a limit: when the events accepted in the last window reached it, the next is answered 429. */
  private int eventsPerMinute = Integer.MAX_VALUE;
  private long windowNanos = 60_000_000_000L;
  private final Deque<Long> acceptedAtNanos = new ArrayDeque<>();
  /** A scripted "status" meaning: hang, then fail without taking the event. */
  private static final int HANG = -1;
  /**
   * PagerDuty's limit on one event, documented as "512 KB" (the OpenAPI spec does not encode it).
   * Read as 512,000 bytes, the stricter reading (Prometheus Alertmanager's maxEventSize); a larger
   * body is answered 413, which a sender must take as final.
   */
  public static final int MAX_EVENT_BYTES = 512_000;

  private FakePagerDuty(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.setExecutor(threads);
    server.createContext("/v2/enqueue", exchange -> enqueue(exchange, false));
    server.createContext("/v2/change/enqueue", exchange -> enqueue(exchange, true));
    server.start();
  }

  public static FakePagerDuty start() throws IOException {
    return new FakePagerDuty(0);
  }

  /** A new server on a port a closed one used: PagerDuty coming back after an outage. */
  public static FakePagerDuty startOn(int port) throws IOException {
    return new FakePagerDuty(port);
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port());
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The next requests get these statuses (with PagerDuty-shaped bodies) before normal service. */
  public synchronized FakePagerDuty answerNext(int... statuses) {
    for (int status : statuses) {
      scripted.add(status);
    }
    return this;
  }

  /**
   * The next requests hang this long (on top of any latency), then get a 504 without the event
   * being taken: a PagerDuty that holds connections open past the client's timeouts and never
   * processes them.
   */
  public synchronized FakePagerDuty hangNext(int count, Duration hang) {
    this.hang = hang;
    for (int i = 0; i < count; i++) {
      scripted.add(HANG);
    }
    return this;
  }

  /**
   * From now on, PagerDuty's own rate limit: an event beyond this many accepted in the last minute
   * (on any key) is answered 429, as PagerDuty throttles an integration (about 120 a minute).
   */
  public synchronized FakePagerDuty rateLimit(int eventsPerMinute) {
    return rateLimit(eventsPerMinute, Duration.ofMinutes(1));
  }

  /** The same limit over a shorter window, so a short drill meets it in seconds. */
  public synchronized FakePagerDuty rateLimit(int events, Duration window) {
    this.eventsPerMinute = events;
    this.windowNanos = window.toNanos();
    return this;
  }

  /** Every answer waits this long first (a slow or hanging PagerDuty). */
  public FakePagerDuty latency(Duration latency) {
    this.latency = latency;
    return this;
  }

  /** Events PagerDuty accepted (202), in order. */
  public synchronized List<JSONObject> events() {
    return new ArrayList<>(accepted);
  }

  /** Change events PagerDuty accepted (202), in order. */
  public synchronized List<JSONObject> changes() {
    return new ArrayList<>(changes);
  }

  /** Waits for an accepted change event that matches. */
  public JSONObject awaitChange(Predicate<JSONObject> matches, Duration timeout) throws InterruptedException {
    return await(this::changes, "change event", matches, timeout);
  }

  /** Every body posted, accepted or not. */
  public synchronized List<String> attempts() {
    return new ArrayList<>(attempts);
  }

  /** Waits for an accepted event that matches. */
  public JSONObject awaitEvent(Predicate<JSONObject> matches, Duration timeout) throws InterruptedException {
    return await(this::events, "event", matches, timeout);
  }

  private JSONObject await(java.util.function.Supplier<List<JSONObject>> accepted, String what,
      Predicate<JSONObject> matches, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (JSONObject event : accepted.get()) {
        if (matches.test(event)) {
          return event;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("No matching " + what + " reached the fake PagerDuty within " + timeout
        + "; attempts: " + attempts());
  }

  private void enqueue(HttpExchange exchange, boolean change) throws IOException {
    try (exchange) {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      String body = new String(raw, StandardCharsets.UTF_8);
      Integer status;
      synchronized (this) {
        attempts.add(body);
        status = scripted.poll();
        if (status == null && eventsPerMinute != Integer.MAX_VALUE) {
          long now = System.nanoTime();
          while (!acceptedAtNanos.isEmpty() && now - acceptedAtNanos.peekFirst() > windowNanos) {
            acceptedAtNanos.pollFirst();
          }
          if (acceptedAtNanos.size() >= eventsPerMinute) {
            status = 429;
          } else {
            // Counted when taken, so concurrent requests cannot all slip under the limit.
            acceptedAtNanos.addLast(now);
          }
        }
      }
      LoopbackHttp.delay(latency);
      if (!"POST".equals(exchange.getRequestMethod())) {
        LoopbackHttp.sendJson(exchange, 405, new JSONObject().put("status", "method not allowed"));
        return;
      }
      if (status != null && status == HANG) {
        LoopbackHttp.delay(hang);
        try {
          LoopbackHttp.sendJson(exchange, 504, new JSONObject().put("status", "gateway timeout").put("message", "scripted hang"));
        } catch (IOException clientGaveUp) {
          // expected: the client timed out long ago
        }
        return;
      }
      if (status != null) {
        LoopbackHttp.sendJson(exchange, status, new JSONObject()
            .put("status", status == 429 ? "throttle event" : "unavailable")
            .put("message", status == 429 ? "Requests for this service are arriving too quickly" : "scripted failure")
            .put("errors", new JSONArray().put("scripted " + status)));
        return;
      }
      if (raw.length > MAX_EVENT_BYTES) {
        LoopbackHttp.sendJson(exchange, 413, new JSONObject().put("status", "invalid event")
            .put("message", "Event object is too large")
            .put("errors", new JSONArray().put("Event is " + raw.length + " bytes; the limit is 512 KB")));
        return;
      }
      List<String> errors = new ArrayList<>();
      JSONObject event = null;
      try {
        event = new JSONObject(body);
        errors.addAll(change ? EventsApiSchema.changeProblems(event) : EventsApiSchema.problems(event));
      } catch (JSONException e) {
        errors.add("Event object is not JSON");
      }
      if (!errors.isEmpty()) {
        LoopbackHttp.sendJson(exchange, 400, new JSONObject().put("status", "invalid event")
            .put("message", "Event object is invalid").put("errors", new JSONArray(errors)));
        return;
      }
      synchronized (this) {
        (change ? changes : accepted).add(event);
      }
      JSONObject answer = new JSONObject().put("status", "success").put("message", "Event processed");
      if (!change) {
        answer.put("dedup_key", event.getString("dedup_key"));
      }
      LoopbackHttp.sendJson(exchange, 202, answer);
    }
  }



  @Override
  public void close() {
    LoopbackHttp.stop(server, threads);
  }
}
