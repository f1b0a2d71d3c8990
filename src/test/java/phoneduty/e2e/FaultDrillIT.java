package phoneduty.e2e;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;

import java.util.Map;
import org.junit.Test;

/**
 * The short fault drill, part of every {@code mvn verify} (about 30 s): every scenario of {@link
 * FaultDrill}, with a 4 s outage, a handful of webhooks each, and the app's timeouts scaled down so
 * that the same faults take seconds. The full drill is the tool {@code
 * phoneduty.tools.FullFaultDrill}.
 */
public class FaultDrillIT {

  static final FaultDrill.Sizes SHORT = new FaultDrill.Sizes(
      "short",
      // Rosters older than 2 s ask for a background refresh, so the REST outage meets refreshes too.
      Map.of("PAGERDUTY_EVENTS_READ_TIMEOUT_MS", "1500", "PAGERDUTY_API_READ_TIMEOUT_MS", "1000",
          "ONCALL_CACHE_SECONDS", "2"),
      ofSeconds(4), 8, ofSeconds(45), // outage
      6, ofSeconds(45), // 429
      4, ofMillis(2500), ofSeconds(45), // hanging past the 1.5 s read timeout
      5, 3, ofSeconds(30), // every webhook twice
      2, ofMillis(2500), 2, ofSeconds(30), // forwarding; the REST API hangs past its 1 s read timeout
      ofSeconds(6), // known line: REST API refused, 500, hanging, 2 s each
      ofSeconds(2),
      // flood: 40 contacts from 12 numbers in 5 s; 5 incidents a line; PagerDuty takes 15 events per 10 s
      new FloodDrill.Size(40, 12, ofSeconds(5), 5, 15, ofSeconds(10), ofSeconds(90)));

  @Test
  public void drill() throws Exception {
    FaultDrill.run(SHORT);
  }
}
