package phoneduty.delivery;

import phoneduty.pagerduty.EventsClient;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.pagerduty.PagerDutyEvent;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.appengine.api.datastore.DatastoreServiceFactory;
import com.google.appengine.api.taskqueue.QueueFactory;
import com.google.appengine.api.taskqueue.Queue;
import com.google.appengine.api.taskqueue.TransientFailureException;
import com.google.appengine.tools.development.testing.LocalDatastoreServiceTestConfig;
import com.google.appengine.tools.development.testing.LocalServiceTestHelper;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import phoneduty.calllog.CallLog;
import phoneduty.support.FakePagerDuty;
import phoneduty.shortlink.ShortLink;
import phoneduty.shortlink.ShortLinks;
import phoneduty.support.LogCapture;

public class EventQueueTest {

  private static final RoutingKey KEY = RoutingKey.parse("0123456789abcdef0123456789ABCDEF").orElseThrow();
  private final LocalServiceTestHelper services = new LocalServiceTestHelper(new LocalDatastoreServiceTestConfig().setNoStorage(true));
  private final AtomicInteger adds = new AtomicInteger();
  private FakePagerDuty pagerDuty;
  private ShortLinks shortLinks;
  private EventQueue events;

  /** A queue whose every add fails, as Task Queue does in an outage of its own. */
  private Queue brokenQueue() {
    return (Queue) Proxy.newProxyInstance(Queue.class.getClassLoader(), new Class<?>[] {Queue.class},
        (proxy, method, args) -> {
          if (method.getName().equals("add")) {
            adds.incrementAndGet();
            throw new TransientFailureException("queue unavailable");
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  @Before
  public void setUp() throws Exception {
    services.setUp();
    pagerDuty = FakePagerDuty.start();
    shortLinks = new ShortLinks(DatastoreServiceFactory.getDatastoreService(), new SecureRandom(), Clock.systemUTC());
    events = new EventQueue(brokenQueue(), new EventsClient(pagerDuty.baseUrl(), Duration.ofMillis(500), Duration.ofSeconds(5)), shortLinks,
        new CallLog(QueueFactory.getQueue(CallLog.QUEUE_NAME), DatastoreServiceFactory.getDatastoreService(),
            Clock.systemUTC()));
  }

  @After
  public void tearDown() {
    pagerDuty.close();
    services.tearDown();
  }

  private static PagerDutyEvent sms(String sid) {
    return PagerDutyEvent.trigger(KEY, sid).summary("SMS from +14155550100: help").source("phoneduty").build();
  }

  @Test
  public void whenTaskQueueFails_theEventIsDeliveredDirectly() {
    assertTrue(events.enqueue("sms", sms("SM1")));
    assertEquals("tried the queue three times", 3, adds.get());
    assertEquals(1, pagerDuty.events().size());
  }

  @Test
  public void whenTaskQueueFails_theDirectDeliveryStoresTheEventsShortLinkFirst() {
    ShortLink link = shortLinks.reserve(URI.create("https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef.mp3"), "https://phoneduty.example");
    PagerDutyEvent event = PagerDutyEvent.trigger(KEY, "CA1").summary("Voicemail: " + link.url())
        .source("phoneduty").link(link.url(), "Voicemail recording").build();
    assertTrue(events.enqueue("voicemail", event, List.of(link)));
    assertEquals(1, pagerDuty.events().size());
    assertEquals(link.target(), shortLinks.resolve(link.code()).orElseThrow());
  }

  @Test
  public void whenTaskQueueAndPagerDutyFail_itSaysLostPageAndLetsTwilioRetry() {
    pagerDuty.answerNext(503);
    try (LogCapture log = LogCapture.of(EventQueue.class)) {
      assertThrows(IllegalStateException.class, () -> events.enqueue("sms", sms("SM2")));
      assertTrue(log.text(), log.text().contains("LOST PAGE"));
    }
    // Twilio's retry of the webhook is not taken for a duplicate: it gets its chance.
    assertTrue(events.enqueue("sms", sms("SM2")));
    assertEquals(1, pagerDuty.events().size());
  }

  @Test
  public void lostPage_logsTheCallersTextEscapedAndWhole() {
    pagerDuty.answerNext(503);
    PagerDutyEvent event = PagerDutyEvent.trigger(KEY, "SM3\nSEVERE: FORGED sid").source("phoneduty")
        .summary("SMS from +14155550100: help\nSEVERE: FORGED line " + "x".repeat(500)).build();
    try (LogCapture log = LogCapture.of(EventQueue.class)) {
      assertThrows(IllegalStateException.class, () -> events.enqueue("sms", event));
      assertFalse(log.text(), log.text().contains("\nSEVERE: FORGED"));
      assertTrue("the whole summary, for paging by hand", log.text().contains("help\\nSEVERE: FORGED line " + "x".repeat(500)));
    }
  }

  @Test
  public void taskNames_areValidForTaskQueue() {
    String name = EventQueue.taskName("voicemail", PagerDutyEvent.trigger(KEY, "weird key/with:chars")
        .summary("s").source("x").build());
    assertTrue(name, name.matches("[A-Za-z0-9_-]{1,500}"));
    assertFalse(name.contains("/"));
  }
}
