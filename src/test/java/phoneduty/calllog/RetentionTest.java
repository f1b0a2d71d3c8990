package phoneduty.calllog;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.Settings;
import phoneduty.support.AppFixture;
import phoneduty.support.TwilioClient;

/** Records older than CALL_LOG_DAYS go, with their timelines and the lines not seen since; newer ones stay. */
public class RetentionTest {

  @Rule public final AppFixture app = new AppFixture().with(Settings.CALL_LOG_DAYS, "10");

  private static final String OLD = "CA000000000000000000000000000000a1";
  private static final String RECENT = "SM000000000000000000000000000000a2";

  @Test
  public void retention_deletesRecordsOlderThanCallLogDays_andKeepsTheRest() throws Exception {
    app.twilio.post(app.url("/call?service_key=" + AppFixture.SERVICE_KEY),
        TwilioClient.incomingCall(OLD, "+14155550100"));
    app.clock.advance(Duration.ofDays(10).plusMinutes(1));
    app.twilio.post(app.url("/sms?service_key=" + AppFixture.SERVICE_KEY),
        TwilioClient.incomingSms(RECENT, "+14155550100", "recent"));
    app.runQueuedTasks();

    HttpResponse<String> run = app.browse(RetentionServlet.PATH, "X-Appengine-Cron", "true");

    assertEquals(200, run.statusCode());
    assertEquals("deleted 1 calls and texts, 1 steps, 1 lines\n", run.body());
    assertTrue(app.callLog().find(OLD).isEmpty());
    assertTrue(app.callLog().timeline(OLD).isEmpty());
    assertTrue(app.callLog().find(RECENT).isPresent());
    assertEquals(List.of("/sms"), app.callLog().lines().stream().map(LineEntry::endpoint).toList());
  }

  @Test
  public void retentionHandler_refusesCallersThatAreNotCron() throws Exception {
    app.twilio.post(app.url("/call?service_key=" + AppFixture.SERVICE_KEY),
        TwilioClient.incomingCall(OLD, "+14155550100"));
    app.clock.advance(Duration.ofDays(11));

    assertEquals(403, app.browse(RetentionServlet.PATH).statusCode());
    assertTrue(app.callLog().find(OLD).isPresent());
  }
}
