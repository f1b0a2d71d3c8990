package phoneduty.calllog;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.appengine.api.datastore.DatastoreFailureException;
import com.google.appengine.api.datastore.DatastoreService;
import com.google.appengine.api.datastore.DatastoreServiceFactory;
import com.google.appengine.api.taskqueue.Queue;
import com.google.appengine.api.taskqueue.TransientFailureException;
import com.google.appengine.tools.development.testing.LocalDatastoreServiceTestConfig;
import com.google.appengine.tools.development.testing.LocalServiceTestHelper;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  private static final String CALL_SID = "CA0123456789abcdef0123456789abcdef";
  private final LocalServiceTestHelper services =
      new LocalServiceTestHelper(new LocalDatastoreServiceTestConfig().setNoStorage(true));

  @Before
  public void setUp() {
    services.setUp();
  }

  @After
  public void tearDown() {
    services.tearDown();
  }

  /** A service whose every call throws, as Task Queue or Datastore do when they are down. */
  private static <T> T failing(Class<T> type, RuntimeException failure) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      throw failure;
    }));
  }

  private static Queue failingQueue() {
    return failing(Queue.class, new TransientFailureException("task queue down"));
  }

  private static DatastoreService failingDatastore() {
    return failing(DatastoreService.class, new DatastoreFailureException("datastore down"));
  }

  private static final PagerDutyEvent EVENT = PagerDutyEvent.trigger(new RoutingKey(AppFixture.SERVICE_KEY),
      "SM0123456789abcdef0123456789abcdef").summary("SMS from +14155550100: hi").source("phoneduty").build();

  @Test
  public void webhookWrites_whenTaskQueueRefusesThem_areWrittenDirectly() {
    CallLog callLog = new CallLog(failingQueue(), DatastoreServiceFactory.getDatastoreService(), Clock.systemUTC());
    try (LogCapture log = LogCapture.of(CallLog.class)) {
      callLog.step(CALL_SID, Step.greetingPlayed("hello"));
      callLog.queueWrites();
      assertTrue(log.text(), log.text().contains("Task Queue did not take 1 records and steps; writing them now"));
    }
    assertEquals(List.of("greeting played"), new CallLogReader(DatastoreServiceFactory.getDatastoreService())
        .timeline(CALL_SID).stream().map(entry -> entry.step().name()).toList());
  }

  @Test
  public void webhookWrites_whenTaskQueueAndDatastoreAreDown_areLoggedAndThrowNothing() {
    CallLog callLog = new CallLog(failingQueue(), failingDatastore(), Clock.systemUTC());
    try (LogCapture log = LogCapture.of(CallLog.class)) {
      callLog.step(CALL_SID, Step.greetingPlayed("hello"));
      callLog.step("SM0123456789abcdef0123456789abcdef", Step.textReceived("hi", 0));
      callLog.queueWrites();
      assertTrue(log.text(), log.text().contains("could not write 2 records and steps; the call went on without them"));
    }
  }

  @Test
  public void failedDeliveryUpdatesAndTestPages_areLoggedAndThrowNothing() {
    CallLog callLog = new CallLog(failingQueue(), failingDatastore(), Clock.systemUTC());
    try (LogCapture log = LogCapture.of(CallLog.class)) {
      callLog.step(Optional.of(CALL_SID), Step.accepted("+14155550001"));
      callLog.delivered(EVENT, "copy-1", 1, new EventsClient.Delivery(EventsClient.Delivery.Outcome.DELIVERED, 202, "accepted"));
      callLog.testPageQueued("TEST0", new Line("/sms", Optional.empty(), Map.of(), List.of(), List.of()),
          "admin@example.com");
      callLog.queueWrites();
      assertTrue(log.text(), log.text().contains("could not write"));
      assertTrue(log.text(), log.text().contains("could not record the delivery"));
      assertTrue(log.text(), log.text().contains("could not record test page"));
    }
  }

  @Test
  public void theWriteTask_whenDatastoreIsDown_throwsSoThatTaskQueueRetries() {
    CallLog callLog = new CallLog(failingQueue(), failingDatastore(), Clock.systemUTC());
    byte[] batch = QueuedWrites.encode(List.of(Entities.step(CALL_SID, java.time.Instant.now(), Step.greetingPlayed("hi"))));
    assertThrows(DatastoreFailureException.class, () -> callLog.writeQueued(batch));
  }

  @Test
  public void theWriteTask_refusesABodyThatIsNotABatch() {
    CallLog callLog = new CallLog(failingQueue(), DatastoreServiceFactory.getDatastoreService(), Clock.systemUTC());
    assertThrows(IllegalArgumentException.class,
        () -> callLog.writeQueued("{\"entities\": []}".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class, () -> callLog.writeQueued(new byte[] {0, 0, 0, 1, 0, 0, 0, 9, 1}));
    assertThrows(IllegalArgumentException.class, () -> callLog.writeQueued(new byte[0]));
  }
}
