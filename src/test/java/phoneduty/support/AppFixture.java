package phoneduty.support;

import com.google.appengine.api.datastore.DatastoreServiceFactory;
import com.google.appengine.api.taskqueue.QueueFactory;
import com.google.appengine.api.taskqueue.dev.QueueStateInfo;
import com.google.appengine.tools.development.testing.LocalDatastoreServiceTestConfig;
import com.google.appengine.tools.development.testing.LocalMemcacheServiceTestConfig;
import com.google.appengine.tools.development.testing.LocalServiceTestHelper;
import com.google.appengine.tools.development.testing.LocalTaskQueueTestConfig;
import com.google.apphosting.api.ApiProxy;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.servlet.DispatcherType;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.junit.rules.ExternalResource;
import phoneduty.App;
import phoneduty.Settings;
import phoneduty.calllog.CallLog;
import phoneduty.calllog.CallLogReader;
import phoneduty.delivery.EventQueue;
import phoneduty.oncall.RosterRefreshQueue;
import phoneduty.shortlink.ShortLinks;

/**
 * The app wired by {@link App#wire} and mapped by the real web.xml, served by Jetty on loopback, over App Engine's local
 * Datastore, Task Queue and Memcache stubs and a fake PagerDuty. Task Queue does not run tasks by
 * itself here: {@link #runQueuedTasks()} posts each queued task to its handler as Task Queue would.
 */
public final class AppFixture extends ExternalResource {

  public static final String AUTH_TOKEN = "test-auth-token-0123456789";
  public static final String SERVICE_KEY = "0123456789abcdef0123456789ABCDEF";
  public static final String API_TOKEN = "pd-api-token-0123456789";
  static final Path WEB_XML = Path.of("src/main/webapp/WEB-INF/web.xml");
  public static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");

  public final TestClock clock = new TestClock(NOW);
  private final LocalServiceTestHelper services =
      new LocalServiceTestHelper(
          new LocalDatastoreServiceTestConfig().setNoStorage(true),
          new LocalTaskQueueTestConfig()
              .setQueueXmlPath("src/main/webapp/WEB-INF/queue.xml")
              .setDisableAutoTaskExecution(true),
          new LocalMemcacheServiceTestConfig()).setClock(clock);
  private final Map<String, String> extraSettings = new HashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();

  public FakePagerDuty pagerDuty;
  public FakePagerDutyRestApi pagerDutyApi;
  /** Twilio's recording media for {@link FakeTwilioMedia#ACCOUNT_SID}, taking {@link #AUTH_TOKEN}. */
  public FakeTwilioMedia twilioMedia;
  public TwilioClient twilio = new TwilioClient(AUTH_TOKEN);
  public Settings settings;
  public ShortLinks shortLinks;
  /** The graph under test, as App.wire built it. */
  public App app;
  private Server jetty;
  private String baseUrl;

  /** Adds or overrides a setting before the app starts. */
  public AppFixture with(String name, String value) {
    extraSettings.put(name, value);
    return this;
  }

  @Override
  protected void before() throws Throwable {
    services.setUp();
    pagerDuty = FakePagerDuty.start();
    pagerDutyApi = FakePagerDutyRestApi.start(API_TOKEN);
    twilioMedia = FakeTwilioMedia.start(FakeTwilioMedia.ACCOUNT_SID, AUTH_TOKEN);
    Map<String, String> values = new HashMap<>();
    values.put(Settings.PAGERDUTY_API_TOKEN, API_TOKEN);
    values.put(Settings.PAGERDUTY_API_BASE_URL, pagerDutyApi.baseUrl().toString());
    values.put(Settings.PAGERDUTY_API_READ_TIMEOUT_MS, "1000");
    values.put(Settings.TWILIO_AUTH_TOKEN, AUTH_TOKEN);
    values.put(Settings.PAGERDUTY_EVENTS_BASE_URL, pagerDuty.baseUrl().toString());
    values.put(Settings.PAGERDUTY_CONNECT_TIMEOUT_MS, "500");
    values.put(Settings.PAGERDUTY_EVENTS_READ_TIMEOUT_MS, "1000");
    // Without TWILIO_ACCOUNT_SID (a test's with(…)) recordings redirect and the fake is never asked.
    values.put(Settings.TWILIO_API_BASE_URL, twilioMedia.baseUrl().toString());
    values.put(Settings.TWILIO_READ_TIMEOUT_MS, "1000");
    values.putAll(extraSettings);
    settings = Settings.of(values);

    app = App.wire(settings, clock, false);
    shortLinks = app.shortLinks();

    ServletContextHandler context = new ServletContextHandler();
    app.attachTo(context.getServletContext());
    // As App Engine's runtime (AppEngineWebAppContext): forms up to the 32 MB request limit, not
    // Jetty's default 200,000 bytes.
    context.setMaxFormContentSize(32 * 1024 * 1024);
    context.addFilter(new FilterHolder(new ApiEnvironmentFilter(ApiProxy.getCurrentEnvironment())), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    WebXml.read(WEB_XML).installInto(context);

    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
    connector.setPort(0);
    jetty.addConnector(connector);
    jetty.setHandler(context);
    jetty.start();
    baseUrl = "http://127.0.0.1:" + connector.getLocalPort();
  }

  @Override
  protected void after() {
    try {
      jetty.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    pagerDuty.close();
    pagerDutyApi.close();
    twilioMedia.close();
    services.tearDown();
  }

  /** The app's base URL, as Twilio would call it. */
  public String url(String pathAndQuery) {
    return baseUrl + pathAndQuery;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public List<QueueStateInfo.TaskStateInfo> queuedTasks() {
    return queuedTasks(EventQueue.QUEUE_NAME);
  }

  public List<QueueStateInfo.TaskStateInfo> queuedTasks(String queueName) {
    return LocalTaskQueueTestConfig.getLocalTaskQueue().getQueueStateInfo().get(queueName).getTaskInfo();
  }

  /**
   * Runs every queued task once, as Task Queue would: a POST to its URL with the queue headers.
   * A task whose handler answers 2xx is done and removed; others stay queued for the next run.
   *
   * @return the status each task's handler answered, in order
   */
  public List<Integer> runQueuedTasks() throws Exception {
    runCallLogTasks();
    return runTasks(EventQueue.QUEUE_NAME);
  }

  /** Runs the queued call-log writes, as Task Queue would within a second of each webhook. */
  public List<Integer> runCallLogTasks() throws Exception {
    return runTasks(CallLog.QUEUE_NAME);
  }

  /** What each queue's tasks carry: call-log writes, page events as JSON, a roster refresh's line as form parameters. */
  private static String contentType(String queueName) {
    return switch (queueName) {
      case CallLog.QUEUE_NAME -> "application/octet-stream";
      case RosterRefreshQueue.QUEUE_NAME -> "application/x-www-form-urlencoded";
      default -> "application/json";
    };
  }

  /** Runs the tasks queued on this queue once, in order (see {@link #runQueuedTasks()}). */
  public List<Integer> runTasks(String queueName) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (QueueStateInfo.TaskStateInfo task : queuedTasks(queueName)) {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(baseUrl + task.getUrl()))
              .header("X-AppEngine-QueueName", queueName)
              .header("X-AppEngine-TaskName", task.getTaskName())
              .header("X-AppEngine-TaskRetryCount", "0")
              .header("Content-Type", contentType(queueName))
              .POST(HttpRequest.BodyPublishers.ofByteArray(task.getBodyAsBytes()))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      statuses.add(response.statusCode());
      if (response.statusCode() / 100 == 2) {
        QueueFactory.getQueue(queueName).deleteTask(task.getTaskName());
      }
    }
    return statuses;
  }

  /** What cron does every minute: refreshes the roster of every line in use. */
  public String refreshRosters() throws Exception {
    HttpResponse<String> response = http.send(
        HttpRequest.newBuilder(URI.create(baseUrl + RosterRefreshQueue.HANDLER_PATH))
            .header("X-Appengine-Cron", "true").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError("roster refresh answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** The call log as the console reads it, once Task Queue has written what the webhooks queued. */
  public CallLogReader callLog() throws Exception {
    runCallLogTasks();
    return new CallLogReader(DatastoreServiceFactory.getDatastoreService());
  }

  /** A plain GET (a browser's, not Twilio's), no redirects followed. */
  public HttpResponse<String> browse(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** As {@link #browse}, the body as bytes (a recording). */
  public HttpResponse<byte[]> browseBytes(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET();
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A form POST as a browser sends it, with these extra headers (name, value, name, value, …). */
  public HttpResponse<String> submit(String pathAndQuery, Map<String, String> form, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(TwilioClient.formBody(form)));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public Optional<String> shortLinkTarget(String shortUrl) {
    return shortLinks.resolve(shortUrl.substring(shortUrl.lastIndexOf('/') + 1)).map(URI::toString);
  }

  /** Jetty's threads are not the test's; give them the test's App Engine API environment. */
  private static final class ApiEnvironmentFilter implements javax.servlet.Filter {
    private final ApiProxy.Environment environment;

    ApiEnvironmentFilter(ApiProxy.Environment environment) {
      this.environment = environment;
    }

    @Override
    public void doFilter(javax.servlet.ServletRequest request, javax.servlet.ServletResponse response,
        javax.servlet.FilterChain chain) throws java.io.IOException, javax.servlet.ServletException {
      ApiProxy.setEnvironmentForCurrentThread(environment);
      try {
        chain.doFilter(request, response);
      } finally {
        ApiProxy.clearEnvironmentForCurrentThread();
      }
    }
  }
}
