package phoneduty;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.support.AppFixture;
import phoneduty.support.LogCapture;
import phoneduty.support.TwilioClient;

/**
 * Every task handler in web.xml answers only Task Queue (POST with {@code X-AppEngine-QueueName})
 * and cron (GET with {@code X-Appengine-Cron: true}); anyone else gets a 403 with a short reason,
 * and the handler does nothing.
 */
public class TaskCallerFilterTest {

  @Rule public final AppFixture app = new AppFixture();

  private static final Pattern TASK_PATH = Pattern.compile("<url-pattern>(/tasks/[a-z-]+)</url-pattern>");
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  public void everyTaskHandler_refusesAPostWithoutTheQueueHeader() throws Exception {
    for (String path : taskPaths()) {
      HttpResponse<String> response = send(path, "POST");
      assertEquals(path, 403, response.statusCode());
      assertTrue(path + ": " + response.body(), response.body().contains("Only Task Queue may call this"));
      assertFalse(path + ": " + response.body(), response.body().contains("Exception"));
    }
  }

  @Test
  public void everyTaskHandler_refusesAGetWithoutTheCronHeader() throws Exception {
    for (String path : taskPaths()) {
      HttpResponse<String> response = send(path, "GET", TaskCallerFilter.CRON_HEADER, "false");
      assertEquals(path, 403, response.statusCode());
      assertTrue(path + ": " + response.body(), response.body().contains("Only cron may call this"));
    }
  }

  @Test
  public void everyTaskHandler_refusesOtherMethods_andTheQueueHeaderOnAGet() throws Exception {
    for (String path : taskPaths()) {
      assertEquals(path, 403, send(path, "PUT", TaskCallerFilter.QUEUE_HEADER, "call-log").statusCode());
      assertEquals(path, 403, send(path, "GET", TaskCallerFilter.QUEUE_HEADER, "call-log").statusCode());
      assertEquals(path, 403, send(path, "POST", TaskCallerFilter.CRON_HEADER, "true").statusCode());
    }
  }

  @Test
  public void rosterRefresh_fromOutside_asksPagerDutyNothing() throws Exception {
    HttpResponse<String> cron = send("/tasks/roster-refresh", "GET");
    HttpResponse<String> queue = app.submit("/tasks/roster-refresh", Map.of("escalation_policy", "PEP0001"));

    assertEquals(403, cron.statusCode());
    assertEquals(403, queue.statusCode());
    assertEquals(0, app.pagerDutyApi.count());
  }

  @Test
  public void deliveryTask_fromOutside_deliversNothing_andTheLogNamesNeitherBodyNorHeaders() throws Exception {
    app.twilio.post(app.url("/sms?service_key=" + AppFixture.SERVICE_KEY),
        TwilioClient.incomingSms("SM000000000000000000000000000000b1", "+14155550100", "help"));
    String body = new String(app.queuedTasks().get(0).getBodyAsBytes(), java.nio.charset.StandardCharsets.UTF_8);

    try (LogCapture log = LogCapture.of(TaskCallerFilter.class)) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(app.url("/tasks/pagerduty-event")))
          .header("X-AppEngine-TaskName", "forged-task-name")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

      assertEquals(403, response.statusCode());
      assertEquals(0, app.pagerDuty.events().size());
      assertTrue(log.text(), log.text().contains("Refused a POST to /tasks/pagerduty-event"));
      assertFalse(log.text(), log.text().contains("forged") || log.text().contains("help"));
    }
  }

  private HttpResponse<String> send(String path, String method, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url(path)))
        .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString("{}"));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The task handlers web.xml maps, so a handler added later is covered without editing this test. */
  private static List<String> taskPaths() throws Exception {
    Matcher paths = TASK_PATH.matcher(Files.readString(Path.of("src/main/webapp/WEB-INF/web.xml")));
    List<String> found = new ArrayList<>();
    while (paths.find()) {
      found.add(paths.group(1));
    }
    assertTrue("web.xml maps the six task handlers: " + found, found.size() >= 6);
    return found;
  }
}
