package phoneduty.tools;

import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;

import java.util.Map;
import org.junit.Test;
import phoneduty.e2e.FaultDrill;
import phoneduty.e2e.FloodDrill;

/**
 * The full fault drill, a tool: {@code mvn -B verify -Dtool=FullFaultDrill} runs it (about 14
 * min). The scenarios of {@link FaultDrill}, as the short drill of every build runs them, at full
 * size: a 60 s PagerDuty outage, more webhooks, and the app's default timeouts (Events API read
 * 10 s, REST API read 3 s). Fails, so {@code mvn} exits non-zero, if any page is lost or doubled.
 */
public class FullFaultDrill {

  static final FaultDrill.Sizes FULL = new FaultDrill.Sizes(
      "full",
      Map.of(),
      ofSeconds(60), 60, ofSeconds(240), // outage
      30, ofSeconds(90), // 429
      10, ofSeconds(12), ofSeconds(120), // hanging past the 10 s read timeout
      20, 10, ofSeconds(60), // every webhook twice
      5, ofSeconds(20), 5, ofSeconds(60), // forwarding; the REST API hangs past its 3 s read timeout
      ofMinutes(10), // known line: REST API refused, 500, hanging, 200 s each
      ofSeconds(5),
      // flood: 300 contacts from 60 numbers in a minute; the default 30 incidents a line; 120 events a minute
      new FloodDrill.Size(300, 60, ofSeconds(60), null, 120, ofMinutes(1), ofMinutes(12)));

  @Test
  public void drill() throws Exception {
    FaultDrill.run(FULL);
  }
}
