package phoneduty.tools;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import phoneduty.support.TwilioClient;

/**
 * A closed-loop load generator: {@code concurrency} threads each send one request, wait for the
 * answer, and send the next, until {@code maxRequests} were sent or {@code maxTime} passed. Each
 * request is built and signed as Twilio signs it ({@link TwilioClient#signedPost}) before its clock
 * starts; the latency is from sending to the whole body received, on the client side.
 */
public final class Load {

  /** One webhook to send: URL and form; signed when built. */
  public record Webhook(String url, Map<String, String> form) {}

  private final TwilioClient twilio;

  public Load(String authToken) {
    this.twilio = new TwilioClient(authToken);
  }

  private HttpRequest signed(Webhook webhook) {
    return twilio.signedPost(webhook.url(), webhook.form());
  }

  /** Sends one signed webhook; null on an I/O failure. */
  public HttpResponse<String> send(Webhook webhook) {
    return twilio.trySend(signed(webhook));
  }

  /** What to send in a run, and what counts as a good answer. */
  public record Kind(IntFunction<Webhook> webhooks, Predicate<HttpResponse<String>> good) {}

  /**
   * Runs one cell.
   *
   * @param webhooks the i-th request to send (called from the sending threads)
   * @param good whether an answer counts as a success
   */
  public Stats run(int concurrency, int maxRequests, Duration maxTime, IntFunction<Webhook> webhooks,
      Predicate<HttpResponse<String>> good) throws InterruptedException {
    return runMixed(concurrency, maxRequests, maxTime, List.of(new Kind(webhooks, good))).get(0);
  }

  /**
   * Runs several kinds of request in one closed loop, each kind {@code maxRequestsEach} times in a
   * shuffled order (fixed seed), so at any moment the requests in flight are of every kind alike,
   * and whatever disturbs the server (a GC, a burst of queued work, the work a request leaves
   * behind for the next) falls on all kinds in proportion.
   *
   * @param maxRequestsEach requests of each kind
   * @return each kind's latencies, in the order given; each carries the whole run's wall time
   */
  public List<Stats> runMixed(int concurrency, int maxRequestsEach, Duration maxTime, List<Kind> kinds)
      throws InterruptedException {
    int k = kinds.size();
    int maxRequests = maxRequestsEach * k;
    int[] order = new int[maxRequests];
    for (int i = 0; i < maxRequests; i++) {
      order[i] = i % k;
    }
    Random shuffle = new Random(20261122L);
    for (int i = maxRequests - 1; i > 0; i--) {
      int j = shuffle.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    AtomicInteger next = new AtomicInteger();
    int[] errors = new int[k];
    long[][][] perThread = new long[concurrency][][];
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    long deadline = start + maxTime.toNanos();
    for (int t = 0; t < concurrency; t++) {
      int slot = t;
      Thread thread = new Thread(() -> {
        long[][] latencies = new long[k][maxRequestsEach];
        int[] n = new int[k];
        while (System.nanoTime() < deadline) {
          int i = next.getAndIncrement();
          if (i >= maxRequests) {
            break;
          }
          int kind = order[i];
          HttpRequest request = signed(kinds.get(kind).webhooks().apply(i));
          long t0 = System.nanoTime();
          HttpResponse<String> response = twilio.trySend(request);
          latencies[kind][n[kind]++] = System.nanoTime() - t0;
          if (response == null || !kinds.get(kind).good().test(response)) {
            synchronized (errors) {
              errors[kind]++;
            }
          }
        }
        for (int kind = 0; kind < k; kind++) {
          latencies[kind] = Arrays.copyOf(latencies[kind], n[kind]);
        }
        perThread[slot] = latencies;
      }, "load-" + t);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    long wall = System.nanoTime() - start;
    List<Stats> stats = new ArrayList<>();
    for (int kind = 0; kind < k; kind++) {
      int total = 0;
      for (long[][] thread : perThread) {
        total += thread[kind].length;
      }
      long[] all = new long[total];
      int at = 0;
      for (long[][] thread : perThread) {
        System.arraycopy(thread[kind], 0, all, at, thread[kind].length);
        at += thread[kind].length;
      }
      Arrays.sort(all);
      synchronized (errors) {
        stats.add(new Stats(all, errors[kind], wall));
      }
    }
    return stats;
  }

  /** Client-side latencies of one cell, sorted. */
  public static final class Stats {
    final long[] sortedNanos;
    final int errors;
    final long wallNanos;

    Stats(long[] sortedNanos, int errors, long wallNanos) {
      this.sortedNanos = sortedNanos;
      this.errors = errors;
      this.wallNanos = wallNanos;
    }

    public int count() {
      return sortedNanos.length;
    }

    /** Nearest-rank percentile in milliseconds (NaN without samples). */
    public double percentileMillis(double p) {
      if (sortedNanos.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(p / 100.0 * sortedNanos.length);
      return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))] / 1e6;
    }

    public double throughput() {
      return wallNanos == 0 ? 0 : sortedNanos.length / (wallNanos / 1e9);
    }

    public int errors() {
      return errors;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "n=%d err=%d p50=%.2fms p95=%.2fms p99=%.2fms %.0f req/s", count(),
          errors, percentileMillis(50), percentileMillis(95), percentileMillis(99), throughput());
    }
  }
}
