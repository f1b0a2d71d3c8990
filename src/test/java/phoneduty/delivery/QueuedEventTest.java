package phoneduty.delivery;

import phoneduty.pagerduty.RoutingKey;
import phoneduty.pagerduty.PagerDutyEvent;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.appengine.api.datastore.DatastoreFailureException;
import com.google.appengine.api.datastore.DatastoreService;
import com.google.appengine.api.datastore.DatastoreServiceFactory;
import com.google.appengine.tools.development.testing.LocalDatastoreServiceTestConfig;
import com.google.appengine.tools.development.testing.LocalServiceTestHelper;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.json.JSONObject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import phoneduty.shortlink.ShortLink;
import phoneduty.shortlink.ShortLinks;
import phoneduty.support.EventsApiSchema;
import phoneduty.support.LogCapture;

public class QueuedEventTest {

  private static final RoutingKey KEY = RoutingKey.parse("0123456789abcdef0123456789ABCDEF").orElseThrow();
  private static final URI RECORDING = URI.create(
      "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef.mp3");
  private final LocalServiceTestHelper services =
      new LocalServiceTestHelper(new LocalDatastoreServiceTestConfig().setNoStorage(true));
  private ShortLinks shortLinks;

  @Before
  public void setUp() {
    services.setUp();
    shortLinks = new ShortLinks(DatastoreServiceFactory.getDatastoreService(), new SecureRandom(), Clock.systemUTC());
  }

  @After
  public void tearDown() {
    services.tearDown();
  }

  private static PagerDutyEvent voicemail(ShortLink link, String summaryPrefix) {
    return PagerDutyEvent.trigger(KEY, "CA0123456789abcdef0123456789abcdef")
        .summary(summaryPrefix + "Voicemail from +14155550100: " + link.url() + " (17 s)")
        .source("phoneduty")
        .detail("recording", link.url())
        .detail("recording_url", link.target().toString())
        .link(link.url(), "Voicemail recording (17 s)")
        .build();
  }

  @Test
  public void taskBody_carriesTheEventAndItsPendingLinks() {
    ShortLink link = shortLinks.reserve(RECORDING, "https://phoneduty.example");
    QueuedEvent queued = QueuedEvent.newCopy(voicemail(link, ""), List.of(link));

    QueuedEvent read = QueuedEvent.fromJson(queued.toJson());
    assertEquals(queued.event().toJson(), read.event().toJson());
    assertEquals(List.of(link), read.pendingLinks());
    assertEquals(queued.copyId(), read.copyId());
  }

  @Test
  public void taskBody_ofAChangeEvent_staysAChangeEventWithItsKey() {
    PagerDutyEvent change = PagerDutyEvent.change(KEY, "CA1-accepted").summary("Alice took the call")
        .source("phoneduty").at(java.time.Instant.parse("2026-11-22T06:00:00Z")).build();

    QueuedEvent read = QueuedEvent.fromJson(QueuedEvent.newCopy(change, List.of()).toJson());

    assertEquals(true, read.event().isChange());
    assertEquals("CA1-accepted", read.event().dedupKey());
    assertEquals("/v2/change/enqueue", read.event().path());
    assertEquals(change.toJson(), read.event().toJson());
    assertEquals("forward-change-CA1-accepted", EventQueue.taskName("forward", read.event()));
  }

  @Test
  public void taskBody_thatIsNotAnEvent_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> QueuedEvent.fromJson("{\"event\": {}}"));
    assertThrows(IllegalArgumentException.class, () -> QueuedEvent.fromJson("not json"));
  }

  @Test
  public void storeLinks_storesEachPendingLinkAndLeavesTheEventAsItIs() {
    ShortLink link = shortLinks.reserve(RECORDING, "https://phoneduty.example");
    PagerDutyEvent event = voicemail(link, "");
    assertTrue(shortLinks.resolve(link.code()).isEmpty());

    PagerDutyEvent ready = QueuedEvent.newCopy(event, List.of(link)).storeLinks(shortLinks);

    assertEquals(event.toJson(), ready.toJson());
    assertEquals(RECORDING, shortLinks.resolve(link.code()).orElseThrow());
  }

  @Test
  public void storeLinks_whenDatastoreFails_pagesWithTheFullRecordingUrlInstead() {
    ShortLinks failing = new ShortLinks(failingDatastore(), new SecureRandom(), Clock.systemUTC());
    ShortLink link = failing.reserve(RECORDING, "https://phoneduty.example");
    // A summary near PagerDuty's limit must stay within it once the longer URL is put back.
    PagerDutyEvent event = voicemail(link, "x".repeat(950));

    PagerDutyEvent ready;
    try (LogCapture log = LogCapture.of(QueuedEvent.class)) {
      ready = QueuedEvent.newCopy(event, List.of(link)).storeLinks(failing);
      assertTrue(log.text(), log.text().contains("Could not store short link"));
    }

    JSONObject json = new JSONObject(ready.toJson());
    EventsApiSchema.assertValid(json);
    assertFalse("no dead short link is left in the page", ready.toJson().contains(link.url()));
    assertEquals(RECORDING.toString(), json.getJSONArray("links").getJSONObject(0).getString("href"));
    assertEquals(RECORDING.toString(), json.getJSONObject("payload").getJSONObject("custom_details").getString("recording"));
    String summary = json.getJSONObject("payload").getString("summary");
    assertTrue(summary, summary.length() <= PagerDutyEvent.MAX_SUMMARY_CHARS);
    assertTrue(summary, summary.contains("https://api.twilio.com/"));
  }

  private static DatastoreService failingDatastore() {
    return (DatastoreService) Proxy.newProxyInstance(DatastoreService.class.getClassLoader(),
        new Class<?>[] {DatastoreService.class}, (proxy, method, args) -> {
          throw new DatastoreFailureException("Datastore is unavailable");
        });
  }
}
