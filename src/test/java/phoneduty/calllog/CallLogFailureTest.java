package phoneduty.calllog;

import static org.junit.Assert.assertTrue;

import com.google.appengine.api.datastore.AsyncDatastoreService;
import com.google.appengine.api.datastore.DatastoreFailureException;
import com.google.appengine.api.datastore.DatastoreService;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import com.google.appengine.tools.development.testing.LocalServiceTestHelper;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import phoneduty.pagerduty.EventsClient;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.support.AppFixture;
import phoneduty.support.LogCapture;

/** A call-log write that fails never fails the call or the page: it is logged and the call goes on. */
public class CallLogFailureTest {

  /** No services at all: only the API environment that keys need. */
  private final LocalServiceTestHelper environment = new LocalServiceTestHelper();

  @Before
  public void setUp() {
    environment.setUp();
  }

  @After
  public void tearDown() {
    environment.tearDown();
  }

  private static <T> T failing(Class<T> type, boolean asyncFuture) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      if (asyncFuture && method.getName().equals("put")) {
        return CompletableFuture.failedFuture(new DatastoreFailureException("datastore down"));
      }
      throw new DatastoreFailureException("datastore down");
    }));
  }

  private static final PagerDutyEvent EVENT = PagerDutyEvent.trigger(new RoutingKey(AppFixture.SERVICE_KEY),
      "SM0123456789abcdef0123456789abcdef").summary("SMS from +14155550100: hi").source("phoneduty").build();

  @Test
  public void failedAsyncWrites_areLoggedWhenTheRequestEnds_andThrowNothing() {
    CallLog callLog = new CallLog(failing(AsyncDatastoreService.class, true), failing(DatastoreService.class, false),
        Clock.systemUTC());
    try (LogCapture log = LogCapture.of(CallLog.class)) {
      callLog.step("CA0123456789abcdef0123456789abcdef", Step.greetingPlayed("hello"));
      callLog.step("SM0123456789abcdef0123456789abcdef", Step.textReceived("hi", 0));
      callLog.beforeQueueing();
      callLog.awaitWrites();
      assertTrue(log.text(), log.text().contains("Call log: a write failed; the call went on without it"));
    }
  }

  @Test
  public void writesThatCannotEvenStart_andFailedDeliveryUpdates_areLoggedAndThrowNothing() {
    CallLog callLog = new CallLog(failing(AsyncDatastoreService.class, false), failing(DatastoreService.class, false),
        Clock.systemUTC());
    try (LogCapture log = LogCapture.of(CallLog.class)) {
      callLog.step(Optional.of("CA0123456789abcdef0123456789abcdef"), Step.accepted("+14155550001"));
      callLog.delivered(EVENT, "copy-1", 1, new EventsClient.Delivery(EventsClient.Delivery.Outcome.DELIVERED, 202, "accepted"));
      callLog.testPageQueued("TEST0", new Line("/sms", Optional.empty(), java.util.Map.of(), java.util.List.of(),
          java.util.List.of()), "admin@example.com");
      callLog.awaitWrites();
      assertTrue(log.text(), log.text().contains("could not write"));
      assertTrue(log.text(), log.text().contains("could not record the delivery"));
      assertTrue(log.text(), log.text().contains("could not record test page"));
    }
  }
}
