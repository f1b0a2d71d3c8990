package phoneduty.delivery;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.appengine.tools.development.testing.LocalTaskQueueTestConfig;
import com.google.apphosting.utils.config.QueueXml;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.support.AppFixture;
import phoneduty.support.TwilioClient;

public class DeliveryTaskTest {

  @Rule public final AppFixture app = new AppFixture();

  private void queueOneVoicemail() {
    app.twilio.post(app.url("/record?service_key=" + AppFixture.SERVICE_KEY),
        TwilioClient.recordingDone("CA0123456789abcdef0123456789abcdef", "+14155550100", 30));
    assertEquals(1, app.queuedTasks().size());
  }

  @Test
  public void task_when202_endsTheTask() throws Exception {
    queueOneVoicemail();
    assertEquals(List.of(200), app.runQueuedTasks());
    assertEquals(0, app.queuedTasks().size());
  }

  @Test
  public void task_when400_endsTheTaskWithoutRetrying() throws Exception {
    app.pagerDuty.answerNext(400);
    queueOneVoicemail();
    assertEquals(List.of(200), app.runQueuedTasks());
    assertEquals(0, app.queuedTasks().size());
    assertEquals(0, app.pagerDuty.events().size());
  }

  @Test
  public void task_when429or500_failsSoTaskQueueRetries() throws Exception {
    app.pagerDuty.answerNext(429, 500);
    queueOneVoicemail();
    assertEquals(List.of(503), app.runQueuedTasks());
    assertEquals(List.of(503), app.runQueuedTasks());
    assertEquals(List.of(200), app.runQueuedTasks());
    assertEquals(1, app.pagerDuty.events().size());
  }

  @Test
  public void task_whenPagerDutyHangs_failsWithinTheReadTimeoutSoTaskQueueRetries() throws Exception {
    app.pagerDuty.latency(Duration.ofSeconds(3));
    queueOneVoicemail();
    assertEquals(List.of(503), app.runQueuedTasks());
    app.pagerDuty.latency(Duration.ZERO);
    assertEquals(List.of(200), app.runQueuedTasks());
  }

  @Test
  public void task_withoutQueueHeader_isRefused() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(app.url(EventQueue.HANDLER_PATH)))
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(403, response.statusCode());
  }

  @Test
  public void queue_retriesWithinSecondsThenMinutesForAtLeastADay() {
    // queue.xml as App Engine reads it.
    QueueXml.RetryParameters retry = LocalTaskQueueTestConfig.getLocalTaskQueue().getQueueStateInfo()
        .get(EventQueue.QUEUE_NAME).getEntry().getRetryParameters();
    assertTrue("first retry within seconds", retry.getMinBackoffSec() <= 2);
    assertTrue("backs off to minutes", retry.getMaxBackoffSec() >= 60 && retry.getMaxBackoffSec() <= 600);
    assertTrue("retries for at least a day", retry.getAgeLimitSec() >= 24 * 3600);
    assertEquals("no retry count cap", null, retry.getRetryLimit());
  }
}
