package phoneduty.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test moves by hand: the one the app is given, and, through {@code
 * LocalServiceTestHelper#setClock}, the one by which the local Memcache expires entries. The
 * Memcache API turns an entry's time to live into an absolute expiry with {@code
 * System.currentTimeMillis()}, so to Memcache this clock is real time plus however far the test
 * moved it.
 */
public final class TestClock extends Clock implements com.google.appengine.tools.development.Clock {
  private volatile Instant now;
  private volatile Duration advanced = Duration.ZERO;

  public TestClock(Instant now) {
    this.now = now;
  }

  public synchronized void advance(Duration duration) {
    now = now.plus(duration);
    advanced = advanced.plus(duration);
  }

  @Override
  public long getCurrentTime() {
    return System.currentTimeMillis() + advanced.toMillis();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Instant instant() {
    return now;
  }
}
