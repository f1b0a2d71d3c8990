package phoneduty.tools;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The lines of the benchmark's {@code /forward known, expired} row, one escalation policy each
 * ({@code PKNOWN000123}). Before each cell, {@link #warm} gives the cell's lines their first call,
 * which asks PagerDuty and stores the roster; the cell then calls each line once more, in the same
 * order ({@link #next}), so no timed call finds its line in the instance's memory or (once
 * Memcache is flushed) in Memcache.
 */
final class KnownLines {

  private final String forwardUrl;
  private final IntFunction<Map<String, String>> form;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger reused = new AtomicInteger();
  private final AtomicInteger dialled = new AtomicInteger();
  private final AtomicInteger sent = new AtomicInteger();
  private volatile int first;
  private volatile int count;

  /** @param forwardUrl {@code /forward}'s URL with every parameter but the policy, ending in {@code &} */
  KnownLines(String forwardUrl, IntFunction<Map<String, String>> form) {
    this.forwardUrl = forwardUrl;
    this.form = form;
  }

  /** Makes this many new lines known (their first calls, at concurrency 32) and the next ones to call. */
  Load.Stats warm(Load load, int lines) throws InterruptedException {
    first += count;
    count = lines;
    next.set(0);
    reused.set(0);
    dialled.set(0);
    sent.set(0);
    AtomicInteger warming = new AtomicInteger(first);
    Load.Stats stats = load.run(32, lines, Duration.ofMinutes(5), i -> webhook(warming.getAndIncrement()),
        response -> response.statusCode() == 200 && response.body().contains("<Dial"));
    if (stats.count() < lines || stats.errors() > 0) {
      throw new IllegalStateException("warming " + lines + " known lines: " + stats);
    }
    return stats;
  }

  /** The next known line's call; past the warmed ones it starts over (counted in {@link #note}). */
  Load.Webhook next(int i) {
    int k = next.getAndIncrement();
    if (k >= count) {
      reused.incrementAndGet();
    }
    return webhook(first + k % count);
  }

  /** A known line must ring at any PagerDuty latency: its call never waits on PagerDuty. */
  boolean good(HttpResponse<String> response) {
    sent.incrementAndGet();
    boolean dial = response.statusCode() == 200 && response.body().contains("<Dial");
    if (dial) {
      dialled.incrementAndGet();
    }
    return dial;
  }

  /** What the calls since {@link #warm} met. */
  String note() {
    return dialled.get() + "/" + sent.get() + " dialled; " + count + " lines known, " + reused.get()
        + " calls on a line called before in this cell";
  }

  private Load.Webhook webhook(int line) {
    return new Load.Webhook(forwardUrl + "escalation_policy=" + String.format("PKNOWN%06d", line), form.apply(line));
  }
}
