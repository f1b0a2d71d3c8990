package phoneduty.forwarding;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static phoneduty.support.FakePagerDutyRestApi.phone;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.json.JSONObject;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.Settings;
import phoneduty.TaskCallerFilter;
import phoneduty.oncall.RosterRefreshQueue;
import phoneduty.support.AppFixture;
import phoneduty.support.EventsApiSchema;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/** Forwarding over the roster phoneduty holds: known ahead of the caller, and through PagerDuty outages. */
public class ForwardingRosterTest {

  @Rule public final AppFixture app = new AppFixture().with(Settings.ROSTER_MAX_STALE_MINUTES, "60");

  static final String KEY = AppFixture.SERVICE_KEY;
  static final String POLICY = "PEP0001";
  static final String OTHER_POLICY = "PEP0002";
  static final String CALLER = "+14155550100";
  static final String FORWARD = "/forward?escalation_policy=" + POLICY + "&service_key=" + KEY;
  private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

  @Before
  public void twoLevels() {
    app.pagerDutyApi.aliceThenBob(POLICY);
  }

  private Xml call(String url) {
    String sid = String.format("CA%032d", calls.incrementAndGet());
    HttpResponse<String> response = app.twilio.post(app.url(url), TwilioClient.incomingCall(sid, CALLER));
    assertEquals(response.body(), 200, response.statusCode());
    return Xml.parse(response.body());
  }

  private Xml post(String relativeUrl, Map<String, String> params) {
    String path = URI.create("http://x/forward").resolve(relativeUrl).toString().substring("http://x".length());
    HttpResponse<String> response = app.twilio.post(app.url(path), params);
    assertEquals(response.body(), 200, response.statusCode());
    return Xml.parse(response.body());
  }

  /** Every request from now on fails with this status, as during an outage. */
  private void pagerDutyFails(int status) {
    int[] statuses = new int[200];
    java.util.Arrays.fill(statuses, status);
    app.pagerDutyApi.answerNext(statuses);
  }

  @Test
  public void knownLine_whenPagerDutyGoesDown_ringsTheLastKnownResponder_andTheChangeEventSaysSo() throws Exception {
    assertEquals("+14155550001", call(FORWARD).text("/Response/Dial/Number"));
    pagerDutyFails(500);
    app.clock.advance(Duration.ofMinutes(20));
    app.refreshRosters();

    Xml ring = call(FORWARD);
    assertEquals("the roster from 20 minutes ago still rings", "+14155550001", ring.text("/Response/Dial/Number"));
    Map<String, String> bridged = TwilioClient.incomingCall(String.format("CA%032d", calls.get()), CALLER);
    bridged.put("DialCallStatus", "completed");
    bridged.put("DialBridged", "true");
    bridged.put("DialCallDuration", "30");
    post(ring.text("/Response/Dial/@action"), bridged);

    app.runQueuedTasks();
    JSONObject change = app.pagerDuty.changes().get(0);
    EventsApiSchema.assertValidChange(change);
    assertEquals("on-call roster from 06:00 UTC; PagerDuty unreachable",
        change.getJSONObject("payload").getJSONObject("custom_details").getString("roster"));
  }

  /** Alice at level 1 until her shift ends at 06:30; Bob at level 2, whom the policy targets directly (no end). */
  private void aliceUntilHalfPastThenBob() {
    app.pagerDutyApi.nobodyOnCall()
        .onCallUntil(POLICY, "PSC0001", 1, "PU00001", "Alice Example", Instant.parse("2026-11-22T06:30:00Z"))
        .onCall(POLICY, null, 2, "PU00002", "Bob Example");
  }

  @Test
  public void knownLine_whenAShiftEndsWhilePagerDutyIsDown_neverRingsWhoHandedOver() throws Exception {
    // Alice's level-1 shift ends at 06:30; Bob (level 2) has no end. PagerDuty fails from 06:01.
    aliceUntilHalfPastThenBob();
    assertEquals("+14155550001", call(FORWARD).text("/Response/Dial/Number"));
    pagerDutyFails(500);

    app.clock.advance(Duration.ofMinutes(20));
    assertEquals("still her shift at 06:20", "+14155550001", call(FORWARD).text("/Response/Dial/Number"));

    app.clock.advance(Duration.ofMinutes(20));
    Xml afterHandover = call(FORWARD);
    assertEquals("at 06:40 the roster held rings Bob, never Alice", "+14155550002",
        afterHandover.text("/Response/Dial/Number"));
    assertEquals(1, afterHandover.count("//Dial/Number"));
  }

  @Test
  public void knownLine_atAHandover_ringsTheSuccessorWithoutWaitingForTheMinutesRefresh() throws Exception {
    // Alice's level-1 shift ends at 06:30, when Carol's begins; Bob (level 2) has no end.
    aliceUntilHalfPastThenBob();
    assertEquals("+14155550001", call(FORWARD).text("/Response/Dial/Number"));

    // The roster asks for a refresh for 06:30:01 (the add is asynchronous: give it a moment).
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (app.queuedTasks(RosterRefreshQueue.QUEUE_NAME).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(1, app.queuedTasks(RosterRefreshQueue.QUEUE_NAME).size());
    assertEquals(Instant.parse("2026-11-22T06:30:01Z").toEpochMilli(),
        app.queuedTasks(RosterRefreshQueue.QUEUE_NAME).get(0).getEtaMillis());

    app.clock.advance(Duration.ofSeconds(30 * 60 + 1));
    app.pagerDutyApi.nobodyOnCall()
        .onCallUntil(POLICY, "PSC0001", 1, "PU00003", "Carol Example", Instant.parse("2026-11-22T18:30:00Z"))
        .onCall(POLICY, null, 2, "PU00002", "Bob Example")
        .contactMethods("PU00003", phone(1, "4155550003"));
    assertEquals(List.of(200), app.runTasks(RosterRefreshQueue.QUEUE_NAME));

    assertEquals("Carol, not Bob at level 2 or voicemail", "+14155550003", call(FORWARD).text("/Response/Dial/Number"));
  }

  @Test
  public void knownLine_whenEveryShiftEndedWhilePagerDutyIsDown_goesToVoicemailSayingWhy() throws Exception {
    app.pagerDutyApi.nobodyOnCall()
        .onCallUntil(POLICY, "PSC0001", 1, "PU00001", "Alice Example", Instant.parse("2026-11-22T06:30:00Z"));
    call(FORWARD);
    pagerDutyFails(500);
    app.clock.advance(Duration.ofMinutes(40));

    Xml twiml = call(FORWARD);

    assertEquals(0, twiml.count("//Dial"));
    assertEquals(1, twiml.count("/Response/Record"));
    app.runQueuedTasks();
    String summary = app.pagerDuty.events().get(0).getJSONObject("payload").getString("summary");
    assertTrue(summary, summary.contains("the on-call shift of Alice Example ended after PagerDuty last answered"));
  }

  @Test
  public void scheduleNoPolicyUses_ringsWhoseShiftItIs_andTheNextShiftAfterAHandover() throws Exception {
    // A follow-the-sun schedule no escalation policy uses: Lin until 06:30, then Max.
    app.pagerDutyApi
        .scheduleShift("PSC0007", "PU00007", "Lin Example", Instant.parse("2026-11-22T00:00:00Z"),
            Instant.parse("2026-11-22T06:30:00Z"))
        .scheduleShift("PSC0007", "PU00008", "Max Example", Instant.parse("2026-11-22T06:30:00Z"),
            Instant.parse("2026-11-22T18:00:00Z"))
        .contactMethods("PU00007", phone(1, "4155550007"))
        .contactMethods("PU00008", phone(1, "4155550008"));
    String line = "/forward?schedule=PSC0007&service_key=" + KEY;

    assertEquals("+14155550007", call(line).text("/Response/Dial/Number"));

    app.clock.advance(Duration.ofMinutes(40));
    app.refreshRosters();
    assertEquals("+14155550008", call(line).text("/Response/Dial/Number"));
  }

  @Test
  public void knownLine_whenTheRosterIsOlderThanTheSetting_goesToVoicemail() throws Exception {
    call(FORWARD);
    pagerDutyFails(503);
    app.clock.advance(Duration.ofMinutes(61));

    Xml twiml = call(FORWARD);
    assertEquals(0, twiml.count("//Dial"));
    assertEquals(Forwarding.FORWARDING_FAILED, twiml.text("/Response/Say[1]"));
    app.runQueuedTasks();
    String summary = app.pagerDuty.events().get(0).getJSONObject("payload").getString("summary");
    assertTrue(summary, summary.contains("The last on-call roster known, from 06:00 UTC, is too old to ring."));
  }

  @Test
  public void brandNewLine_whenPagerDutyIsDown_goesToVoicemail() throws Exception {
    pagerDutyFails(500);
    Xml twiml = call(FORWARD);
    assertEquals(0, twiml.count("//Dial"));
    assertEquals(1, twiml.count("/Response/Record"));
  }

  @Test
  public void cronRefresh_bringsAHandOverToEveryLine_withOneListing_andCallsAskPagerDutyNothing() throws Exception {
    app.pagerDutyApi.onCall(OTHER_POLICY, null, 1, "PU00003", "Carol Example")
        .contactMethods("PU00003", phone(1, "4155550003"));
    call(FORWARD);
    call("/forward?escalation_policy=" + OTHER_POLICY + "&service_key=" + KEY);
    app.pagerDutyApi.nobodyOnCall()
        .onCall(POLICY, null, 1, "PU00003", "Carol Example")
        .onCall(OTHER_POLICY, null, 1, "PU00001", "Alice Example");
    int listingsBefore = app.pagerDutyApi.count("/oncalls");

    String refreshed = app.refreshRosters();

    assertEquals(refreshed, "refreshed 2 roster(s)", refreshed.strip());
    assertEquals("one /oncalls listing for both lines", listingsBefore + 1, app.pagerDutyApi.count("/oncalls"));
    int requests = app.pagerDutyApi.count();
    assertEquals("+14155550003", call(FORWARD).text("/Response/Dial/Number"));
    assertEquals("+14155550001", call("/forward?escalation_policy=" + OTHER_POLICY + "&service_key=" + KEY)
        .text("/Response/Dial/Number"));
    assertEquals("calls read the roster, not PagerDuty", requests, app.pagerDutyApi.count());
  }

  @Test
  public void cronRefreshMeeting429_backsOffUntilTheReset_andCallsAreUnaffected() throws Exception {
    call(FORWARD);
    app.pagerDutyApi.rateLimitNext(120);
    app.clock.advance(Duration.ofMinutes(1));

    assertTrue(app.refreshRosters().contains("RATE_LIMITED"));
    int requests = app.pagerDutyApi.count();
    app.clock.advance(Duration.ofMinutes(1));
    assertTrue(app.refreshRosters().contains("RATE_LIMITED"));
    assertEquals("no request until the reset", requests, app.pagerDutyApi.count());
    assertEquals("+14155550001", call(FORWARD).text("/Response/Dial/Number"));

    app.clock.advance(Duration.ofMinutes(2));
    assertEquals("refreshed 1 roster(s)", app.refreshRosters().strip());
  }

  @Test
  public void concurrentFirstCallsOfANewLine_shareOneLookup() throws Exception {
    app.pagerDutyApi.latency(Duration.ofMillis(300));
    ExecutorService callers = Executors.newFixedThreadPool(6);
    try {
      List<Future<Xml>> answers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        answers.add(callers.submit(() -> call(FORWARD)));
      }
      for (Future<Xml> answer : answers) {
        assertEquals("+14155550001", answer.get().text("/Response/Dial/Number"));
      }
    } finally {
      callers.shutdownNow();
    }
    assertEquals(1, app.pagerDutyApi.count("/oncalls"));
  }

  @Test
  public void onDemandRefreshTask_refreshesTheLineItNames_andRefusesOneItCannotRead() throws Exception {
    call(FORWARD);
    app.pagerDutyApi.nobodyOnCall().onCall(POLICY, null, 1, "PU00002", "Bob Example");

    HttpResponse<String> refreshed = app.submit("/tasks/roster-refresh", Map.of("escalation_policy", POLICY),
        TaskCallerFilter.QUEUE_HEADER, RosterRefreshQueue.QUEUE_NAME);
    assertEquals(200, refreshed.statusCode());
    assertEquals("refreshed 1 roster(s)", refreshed.body().strip());
    app.clock.advance(Duration.ofSeconds(11)); // past the instance's own memory
    assertEquals("+14155550002", call(FORWARD).text("/Response/Dial/Number"));

    HttpResponse<String> refused = app.submit("/tasks/roster-refresh", Map.of("escalation_policy", "<script>"),
        TaskCallerFilter.QUEUE_HEADER, RosterRefreshQueue.QUEUE_NAME);
    assertEquals(400, refused.statusCode());
    assertTrue(refused.body(), refused.body().contains("no line to refresh") && !refused.body().contains("<script>"));
  }
}
