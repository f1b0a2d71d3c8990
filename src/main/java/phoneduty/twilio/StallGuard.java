package phoneduty.twilio;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A media body, closed from the side when one read waits longer than the read timeout: HttpClient's
 * own timeout ends with the headers. Closing the JDK's body stream wakes a read blocked on it,
 * which then fails; this says why.
 */
final class StallGuard extends FilterInputStream {
  /** One daemon thread for every client's alarms; an alarm only closes a stream. */
  private static final ScheduledExecutorService ALARMS = alarms();

  private final Duration timeout;
  private volatile boolean stalled;

  StallGuard(InputStream body, Duration timeout) {
    super(body);
    this.timeout = timeout;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    ScheduledFuture<?> alarm = ALARMS.schedule(this::stall, timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      return in.read(buffer, offset, length);
    } catch (IOException e) {
      throw stalled ? new IOException("Twilio sent nothing for " + timeout.toMillis() + " ms", e) : e;
    } finally {
      alarm.cancel(false);
    }
  }

  private void stall() {
    stalled = true;
    try {
      in.close();
    } catch (IOException ignored) {
      // the reader learns of it from its read
    }
  }

  private static ScheduledExecutorService alarms() {
    ScheduledThreadPoolExecutor alarms = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "twilio-media-stall-alarm");
      thread.setDaemon(true);
      return thread;
    });
    alarms.setRemoveOnCancelPolicy(true);
    return alarms;
  }
}
