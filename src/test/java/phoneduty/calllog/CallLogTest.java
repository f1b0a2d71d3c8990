package phoneduty.calllog;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.appengine.api.datastore.DatastoreServiceFactory;
import com.google.appengine.api.datastore.FetchOptions;
import com.google.appengine.api.datastore.Query;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.delivery.EventQueue;
import phoneduty.support.AppFixture;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/** The call log as calls and texts write it: records, timelines, page states, lines. */
public class CallLogTest {

  @Rule public final AppFixture app = new AppFixture();

  private static final String KEY = AppFixture.SERVICE_KEY;
  private static final String CALL = "CA0123456789abcdef0123456789abcdef";
  private static final String TEXT = "SM0123456789abcdef0123456789abcdef";

  private static List<String> stepNames(List<TimelineEntry> timeline) {
    return timeline.stream().map(t -> t.step().name()).collect(Collectors.toList());
  }

  private void leaveVoicemail(String sid) {
    Map<String, String> call = TwilioClient.incomingCall(sid, "+14155550100");
    call.put("CallerName", "JANE DOE");
    String action = Xml.parse(app.twilio.post(app.url("/call?service_key=" + KEY + "&greeting=Hi+team"), call).body())
        .text("/Response/Record/@action");
    Map<String, String> done = TwilioClient.recordingDone(sid, "+14155550100", 12);
    done.put("CallerName", "JANE DOE");
    app.twilio.post(URI.create(app.url("/call")).resolve(action).toString(), done);
  }

  @Test
  public void voicemail_isLoggedWithCallerLineTimelineAndDeliveredPage() throws Exception {
    leaveVoicemail(CALL);
    CallEntry queued = app.callLog().find(CALL).orElseThrow();
    assertEquals(Kind.CALL, queued.kind());
    assertEquals("/call", queued.endpoint());
    assertEquals("…CDEF", queued.keyTail());
    assertEquals("+14155550100", queued.from());
    assertEquals("JANE DOE", queued.callerName().orElseThrow());
    assertEquals("SAN FRANCISCO, CA, US", queued.place().orElseThrow());
    assertEquals(AppFixture.NOW, queued.startedAt());

    assertEquals(List.of(200), app.runQueuedTasks());

    CallEntry delivered = app.callLog().find(CALL).orElseThrow();
    assertEquals(PageStatus.DELIVERED, delivered.page().status());
    assertEquals(1, delivered.page().attempts());
    assertTrue(delivered.page().answer(), delivered.page().answer().startsWith("HTTP 202"));
    List<TimelineEntry> timeline = app.callLog().timeline(CALL);
    assertEquals(List.of("greeting played", "voicemail left", "page queued", "page delivered"), stepNames(timeline));
    assertEquals("Hi team", timeline.get(0).step().detail());
    String link = timeline.get(1).step().link().orElseThrow();
    assertEquals("https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Recordings/RE"
        + CALL.substring(2) + ".mp3", app.shortLinkTarget(link).orElseThrow());
  }

  @Test
  public void call_webhookWritesNothingToDatastore_itQueuesOneCallLogTask() throws Exception {
    app.twilio.post(app.url("/call?service_key=" + KEY), TwilioClient.incomingCall(CALL, "+14155550100"));
    assertEquals(0, DatastoreServiceFactory.getDatastoreService()
        .prepare(new Query(Entities.CALL)).countEntities(FetchOptions.Builder.withDefaults()));
    assertEquals(1, app.queuedTasks(CallLog.QUEUE_NAME).size());

    assertEquals(List.of(200), app.runCallLogTasks());
    assertEquals(List.of("greeting played"), stepNames(app.callLog().timeline(CALL)));
  }

  @Test
  public void callLogTask_runTwice_writesItsRecordAndStepsOnce() throws Exception {
    app.twilio.post(app.url("/call?service_key=" + KEY), TwilioClient.incomingCall(CALL, "+14155550100"));
    byte[] batch = app.queuedTasks(CallLog.QUEUE_NAME).get(0).getBodyAsBytes();
    app.app.callLog().writeQueued(batch);
    app.app.callLog().writeQueued(batch);
    assertEquals(List.of("greeting played"), stepNames(app.callLog().timeline(CALL)));
    assertEquals(1, app.callLog().list(CallLogReader.Filter.ALL, java.util.Optional.empty(), 10).calls().size());
  }

  @Test
  public void voicemail_whoseCallRecordLandsAfterItsPage_keepsBothTheCallAndThePage() throws Exception {
    leaveVoicemail(CALL);
    // The delivery task runs before the call log's task (a Datastore hiccup delayed it).
    assertEquals(List.of(200), app.runTasks(EventQueue.QUEUE_NAME));
    app.runCallLogTasks();

    CallEntry call = app.callLog().find(CALL).orElseThrow();
    assertEquals(PageStatus.DELIVERED, call.page().status());
    assertEquals(1, call.page().attempts());
    assertEquals("JANE DOE", call.callerName().orElseThrow());
    assertEquals(List.of("greeting played", "voicemail left", "page queued", "page delivered"),
        stepNames(app.callLog().timeline(CALL)));
    assertEquals(Map.of("greeting", "Hi team"), app.callLog().lines().stream()
        .filter(l -> l.endpoint().equals("/call")).findFirst().orElseThrow().settings());
  }

  @Test
  public void sms_isLoggedByItsDeliveryTask_withItsTextVerbatim_andItsWebhookWritesNothing() throws Exception {
    String hostile = "<script>alert(1)</script> \"><img src=x onerror=alert(1)>";
    app.twilio.post(app.url("/sms?service_key=" + KEY), TwilioClient.incomingSms(TEXT, "+14155550100", hostile));
    assertTrue("the webhook made no Datastore write", app.callLog().find(TEXT).isEmpty());

    assertEquals(List.of(200), app.runQueuedTasks());
    CallEntry text = app.callLog().find(TEXT).orElseThrow();
    assertEquals(Kind.TEXT, text.kind());
    assertEquals(hostile, text.text());
    assertEquals("/sms", text.endpoint());
    assertEquals("+14155550100", text.from());
    assertEquals("US", text.place().orElseThrow());
    assertEquals(AppFixture.NOW, text.startedAt());
    assertEquals(PageStatus.DELIVERED, text.page().status());
    assertEquals(List.of("text received", "page queued", "page delivered"), stepNames(app.callLog().timeline(TEXT)));
  }

  @Test
  public void pageThatPagerDutyRefusesForNow_isRetryingWithItsLastError_thenDelivered() throws Exception {
    app.pagerDuty.answerNext(503);
    app.twilio.post(app.url("/sms?service_key=" + KEY), TwilioClient.incomingSms(TEXT, "+14155550100", "disk full"));

    assertEquals(List.of(503), app.runQueuedTasks());
    PageState retrying = app.callLog().find(TEXT).orElseThrow().page();
    assertEquals(PageStatus.RETRYING, retrying.status());
    assertTrue(retrying.answer(), retrying.answer().startsWith("HTTP 503"));

    assertEquals(List.of(200), app.runQueuedTasks());
    assertEquals(PageStatus.DELIVERED, app.callLog().find(TEXT).orElseThrow().page().status());
    assertEquals(List.of("text received", "page queued", "page retrying", "page delivered"),
        stepNames(app.callLog().timeline(TEXT)));
  }

  @Test
  public void pageThatPagerDutyRefusesForGood_isFailed() throws Exception {
    app.pagerDuty.answerNext(400);
    app.twilio.post(app.url("/sms?service_key=" + KEY), TwilioClient.incomingSms(TEXT, "+14155550100", "disk full"));

    assertEquals(List.of(200), app.runQueuedTasks());
    assertEquals(PageStatus.FAILED, app.callLog().find(TEXT).orElseThrow().page().status());
  }

  @Test
  public void lines_areRememberedByEndpointAndKey_showingOnlyTheKeysLastFour() throws Exception {
    leaveVoicemail(CALL);
    app.twilio.post(app.url("/sms?service_key=" + KEY), TwilioClient.incomingSms(TEXT, "+14155550100", "hi"));
    app.runQueuedTasks();

    List<LineEntry> lines = app.callLog().lines();
    assertEquals(2, lines.size());
    assertEquals(List.of("/call", "/sms"), lines.stream().map(LineEntry::endpoint).sorted().toList());
    for (LineEntry line : lines) {
      assertEquals("…CDEF", line.keyTail());
      assertFalse(line.toString().contains(KEY));
      assertEquals(KEY, app.callLog().routingKey(line.id()).orElseThrow().value());
    }
    assertEquals(Map.of("greeting", "Hi team"),
        lines.stream().filter(l -> l.endpoint().equals("/call")).findFirst().orElseThrow().settings());
  }

  @Test
  public void callWithoutAKey_isLoggedAsMisconfiguredWithNoPage() throws Exception {
    app.twilio.post(app.url("/call"), TwilioClient.incomingCall(CALL, "+14155550100"));

    CallEntry call = app.callLog().find(CALL).orElseThrow();
    assertEquals(PageStatus.NONE, call.page().status());
    assertEquals("(no valid key)", call.keyTail());
    assertEquals(List.of("line misconfigured"), stepNames(app.callLog().timeline(CALL)));
  }
}
