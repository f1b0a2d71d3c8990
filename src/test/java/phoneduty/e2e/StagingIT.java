package phoneduty.e2e;

import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/**
 * What {@code appengine:stage} wrote for this build (the pom stages in every {@code mvn verify},
 * with the same stager a deploy uses): a deploy of it must run on java21 with the bundled services,
 * or Task Queue, Datastore and Memcache fail in production. The 1.9.98 stager left
 * {@code app_engine_apis} out; this test keeps any stager from doing that again.
 */
public class StagingIT {

  private static final Path STAGED = Path.of(System.getProperty("phoneduty.staging.dir", "target/appengine-staging"));

  @Test
  public void stagedAppYaml_runsJava21WithTheBundledServices() throws Exception {
    List<String> appYaml = Files.readAllLines(STAGED.resolve("app.yaml"));
    assertTrue(appYaml.toString(), appYaml.contains("runtime: java21"));
    assertTrue(appYaml.toString(), appYaml.contains("app_engine_apis: True"));
    assertTrue(appYaml.toString(), appYaml.contains("- warmup"));
  }

  @Test
  public void stagedQueues_holdThePagerDutyQueue() throws Exception {
    String queueYaml = Files.readString(STAGED.resolve("WEB-INF/appengine-generated/queue.yaml"));
    assertTrue(queueYaml, queueYaml.contains("name: pagerduty-events"));
    assertTrue(queueYaml, queueYaml.contains("name: roster-refresh"));
  }

  @Test
  public void stagedCron_refreshesTheRostersEveryMinute() throws Exception {
    List<String> cronYaml = Files.readAllLines(STAGED.resolve("WEB-INF/appengine-generated/cron.yaml"));
    assertTrue(cronYaml.toString(), cronYaml.contains("  url: /tasks/roster-refresh"));
    assertTrue(cronYaml.toString(), cronYaml.contains("  schedule: every 1 minutes"));
  }

  @Test
  public void stagedCron_deletesOldCallLogRecordsAndExpiredShortLinksDaily() throws Exception {
    List<String> cronYaml = Files.readAllLines(STAGED.resolve("WEB-INF/appengine-generated/cron.yaml"));
    assertTrue(cronYaml.toString(), cronYaml.contains("  url: /tasks/call-log-retention"));
    assertTrue(cronYaml.toString(), cronYaml.contains("  url: /tasks/short-link-expiry"));
  }
}
