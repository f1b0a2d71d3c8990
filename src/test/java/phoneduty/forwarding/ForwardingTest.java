package phoneduty.forwarding;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static phoneduty.support.FakePagerDutyRestApi.phone;
import static phoneduty.support.FakePagerDutyRestApi.sms;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.json.JSONObject;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.support.AppFixture;
import phoneduty.support.FakePagerDutyRestApi;
import phoneduty.support.EventsApiSchema;
import phoneduty.support.LogCapture;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

public class ForwardingTest {

  @Rule public final AppFixture app = new AppFixture();

  static final String KEY = AppFixture.SERVICE_KEY;
  static final String POLICY = "PEP0001";
  static final String CALL_SID = "CA0123456789abcdef0123456789abcdef";
  static final String CALLER = "+14155550100";
  static final String LINE = "+18005551212";
  static final String FORWARD = "/forward?escalation_policy=" + POLICY + "&service_key=" + KEY;

  @Before
  public void twoLevels() {
    app.pagerDutyApi.aliceThenBob(POLICY);
  }

  private Map<String, String> call() {
    return TwilioClient.incomingCall(CALL_SID, CALLER);
  }

  private Xml post(String pathAndQuery, Map<String, String> params) {
    HttpResponse<String> response = app.twilio.post(app.url(pathAndQuery), params);
    assertEquals(response.body(), 200, response.statusCode());
    return Xml.parse(response.body());
  }

  /** Resolves a relative TwiML URL as Twilio does, against the URL of the request that returned it. */
  static String relative(String url) {
    return URI.create("http://x/forward").resolve(url).toString().substring("http://x".length());
  }

  private Map<String, String> dialEnded(String status, boolean bridged) {
    Map<String, String> params = call();
    params.put("CallStatus", "in-progress");
    params.put("DialCallStatus", status);
    params.put("DialBridged", Boolean.toString(bridged));
    return params;
  }

  private static Map<String, String> responderLeg(String to) {
    return TwilioClient.responderLeg(CALL_SID, CALLER, to);
  }

  @Test
  public void forward_ringsLevelOneWithTheWhisperAndTheCallersNumber_andOpensNoIncident() throws Exception {
    Xml twiml = post(FORWARD, call());

    assertEquals("Please hold while we connect you to the on-call engineer.", twiml.text("/Response/Say"));
    assertEquals(1, twiml.count("/Response/Dial"));
    assertEquals(1, twiml.count("/Response/Dial/Number"));
    assertEquals("+14155550001", twiml.text("/Response/Dial/Number"));
    assertEquals("20", twiml.text("/Response/Dial/@timeout"));
    assertEquals(CALLER, twiml.text("/Response/Dial/@callerId"));
    assertTrue(twiml.text("/Response/Dial/@action").startsWith("/forward/next?"));
    assertTrue(twiml.text("/Response/Dial/Number/@url").startsWith("/forward/whisper?"));

    app.runQueuedTasks();
    assertEquals("PagerDuty must not notify Alice while phoneduty rings her", List.of(), app.pagerDuty.events());
  }

  @Test
  public void forward_toADeskPhoneWithAnExtension_dialsTheNumberThenTheExtension() {
    // PagerDuty takes "number,extension"; each comma is a one-second pause.
    app.pagerDutyApi.contactMethods("PU00001", FakePagerDutyRestApi.phone(1, "415 555 0001,,42"));

    Xml twiml = post(FORWARD, call());

    assertEquals("+14155550001", twiml.text("/Response/Dial/Number"));
    assertEquals("wwww42", twiml.text("/Response/Dial/Number/@sendDigits"));
  }

  @Test
  public void whisper_asksTheResponderToPressOneAndHangsUpOtherwise() {
    Xml ring = post(FORWARD, call());
    Xml whisper = post(relative(ring.text("/Response/Dial/Number/@url")), responderLeg("+14155550001"));

    assertEquals("1", whisper.text("/Response/Gather/@numDigits"));
    assertTrue(whisper.text("/Response/Gather/Say[1]"),
        whisper.text("/Response/Gather/Say[1]").matches("Call for the on call line 1 8 0 0 5 5 5 1 2 1 2 from 1 4 1 5 5 5 5 0 1 0 0\\. Press 1 to accept\\."));
    assertEquals("silence ends in a hang-up", 1, whisper.count("/Response/Gather/following-sibling::Hangup"));

    String accept = relative(whisper.text("/Response/Gather/@action"));
    Map<String, String> pressed2 = responderLeg("+14155550001");
    pressed2.put("Digits", "2");
    assertEquals(1, post(accept, pressed2).count("/Response/Hangup"));
  }

  /** Rings, Alice presses 1, they talk for 125 s; returns the Dial action's answer. */
  private Xml acceptedByAlice(String forwardUrl) {
    Xml ring = post(forwardUrl, call());
    Xml whisper = post(relative(ring.text("/Response/Dial/Number/@url")), responderLeg("+14155550001"));
    Map<String, String> pressed = responderLeg("+14155550001");
    pressed.put("Digits", "1");
    Xml accepted = post(relative(whisper.text("/Response/Gather/@action")), pressed);
    assertEquals("an empty answer lets the bridge happen", 0, accepted.count("/Response/*"));
    Map<String, String> ended = dialEnded("completed", true);
    ended.put("DialCallDuration", "125");
    return post(relative(ring.text("/Response/Dial/@action")), ended);
  }

  @Test
  public void pressingOne_bridges_andSendsAChangeEventSayingWhoTookTheCallForHowLong() throws Exception {
    assertEquals(1, acceptedByAlice(FORWARD).count("/Response/Hangup"));

    app.runQueuedTasks();
    assertEquals("no incident, no notification", List.of(), app.pagerDuty.events());
    List<JSONObject> changes = app.pagerDuty.changes();
    assertEquals(1, changes.size());
    JSONObject change = changes.get(0);
    EventsApiSchema.assertValidChange(change);
    assertEquals(KEY, change.getString("routing_key"));
    JSONObject payload = change.getJSONObject("payload");
    assertEquals("Alice Example took the on-call line's call from +14155550100 (SAN FRANCISCO, CA, US) for 125 s",
        payload.getString("summary"));
    assertEquals("phoneduty " + LINE, payload.getString("source"));
    assertEquals(AppFixture.NOW.toString(), payload.getString("timestamp"));
    assertEquals("125", payload.getJSONObject("custom_details").getString("talked_seconds"));
    assertEquals(CALL_SID, payload.getJSONObject("custom_details").getString("call_sid"));
  }

  @Test
  public void twilioRepeatingTheDialAction_sendsOneChangeEvent() throws Exception {
    Xml ring = post(FORWARD, call());
    Map<String, String> ended = dialEnded("completed", true);
    post(relative(ring.text("/Response/Dial/@action")), ended);
    post(relative(ring.text("/Response/Dial/@action")), ended);

    app.runQueuedTasks();
    assertEquals(1, app.pagerDuty.changes().size());
  }

  @Test
  public void answeredIncident_triggersOnArrival_andAcknowledgesWhenAccepted() throws Exception {
    acceptedByAlice(FORWARD + "&answered=incident");

    app.runQueuedTasks();
    List<String> actions = app.pagerDuty.events().stream().map(e -> e.getString("event_action")).collect(Collectors.toList());
    assertEquals(List.of("trigger", "acknowledge"), actions);
    JSONObject opened = app.pagerDuty.events().get(0);
    EventsApiSchema.assertValid(opened);
    assertEquals(CALL_SID, opened.getString("dedup_key"));
    assertTrue(opened.toString(), opened.getJSONObject("payload").getString("summary").contains("ringing Alice Example"));
    EventsApiSchema.assertValid(app.pagerDuty.events().get(1));
    assertEquals(CALL_SID, app.pagerDuty.events().get(1).getString("dedup_key"));
    assertEquals("no change event in this mode", List.of(), app.pagerDuty.changes());
  }

  @Test
  public void answeredIncident_whenPagerDutyFailsTheTrigger_theAcknowledgeWaitsForIt() throws Exception {
    acceptedByAlice(FORWARD + "&answered=incident");
    app.pagerDuty.answerNext(500); // the trigger's first attempt

    app.runQueuedTasks();
    assertEquals("an acknowledge before its trigger would be dropped by PagerDuty", List.of(), app.pagerDuty.events());
    app.runQueuedTasks();

    List<String> actions = app.pagerDuty.events().stream().map(e -> e.getString("event_action")).collect(Collectors.toList());
    assertEquals(List.of("trigger", "acknowledge"), actions);
  }

  @Test
  public void callerHangingUpWhilePhonesRing_opensAMissedCallIncidentNamingWhoWasRung() throws Exception {
    Xml level1 = post(FORWARD, call());
    Xml level2 = post(relative(level1.text("/Response/Dial/@action")), dialEnded("no-answer", false));
    Map<String, String> hungUp = dialEnded("no-answer", false);
    hungUp.put("CallStatus", "completed");
    Xml after = post(relative(level2.text("/Response/Dial/@action")), hungUp);

    assertEquals(1, after.count("/Response/Hangup"));
    app.runQueuedTasks();
    List<JSONObject> events = app.pagerDuty.events();
    assertEquals(1, events.size());
    JSONObject missed = events.get(0);
    EventsApiSchema.assertValid(missed);
    assertEquals("trigger", missed.getString("event_action"));
    assertEquals(CALL_SID, missed.getString("dedup_key"));
    assertEquals("Missed call from +14155550100 (SAN FRANCISCO, CA, US): hung up while the on-call line rang"
        + " Alice Example (level 1), Bob Example (level 2)", missed.getJSONObject("payload").getString("summary"));
  }

  @Test
  public void noAnswer_ringsTheNextLevel_thenVoicemail_oneIncidentThatSaysWhoWasRung() throws Exception {
    Xml level1 = post(FORWARD, call());
    Xml level2 = post(relative(level1.text("/Response/Dial/@action")), dialEnded("no-answer", false));
    assertEquals("+14155550002", level2.text("/Response/Dial/Number"));
    assertEquals(0, level2.count("/Response/Say"));

    Xml voicemail = post(relative(level2.text("/Response/Dial/@action")), dialEnded("completed", false));
    assertEquals(Forwarding.NOBODY_ANSWERED, voicemail.text("/Response/Say[1]"));
    assertEquals("Leave a message to contact the on call staff.", voicemail.text("/Response/Say[2]"));
    String recordAction = voicemail.text("/Response/Record/@action");
    assertTrue(recordAction, recordAction.startsWith("/record?service_key=" + KEY + "&forwarding="));

    post(recordAction, TwilioClient.recordingDone(CALL_SID, CALLER, 20));
    app.runQueuedTasks();
    List<JSONObject> events = app.pagerDuty.events();
    assertEquals("exactly one incident: the voicemail", 1, events.size());
    JSONObject voicemailEvent = events.get(0);
    EventsApiSchema.assertValid(voicemailEvent);
    assertEquals(CALL_SID, voicemailEvent.getString("dedup_key"));
    assertTrue(voicemailEvent.getJSONArray("links").getJSONObject(0).getString("href").contains("/r/"));
    assertEquals("Alice Example (level 1), Bob Example (level 2); nobody accepted",
        voicemailEvent.getJSONObject("payload").getJSONObject("custom_details").getString("forwarding"));
  }

  @Test
  public void policyWithNumLoops_goesRoundAgain_thenVoicemail() {
    app.pagerDutyApi.numLoops(POLICY, 1);
    List<String> rung = new java.util.ArrayList<>();
    Xml twiml = post(FORWARD, call());
    while (twiml.count("/Response/Dial") == 1) {
      rung.add(twiml.text("/Response/Dial/Number"));
      twiml = post(relative(twiml.text("/Response/Dial/@action")), dialEnded("no-answer", false));
    }

    assertEquals(List.of("+14155550001", "+14155550002", "+14155550001", "+14155550002"), rung);
    assertEquals(Forwarding.NOBODY_ANSWERED, twiml.text("/Response/Say[1]"));
    assertEquals(1, twiml.count("/Response/Record"));
  }

  @Test
  public void ringingPastTenMinutes_endsInVoicemailWhateverNumLoopsSays() {
    app.pagerDutyApi.numLoops(POLICY, 9);
    Xml twiml = post(FORWARD + "&ring_seconds=60", call());
    int rings = 0;
    while (twiml.count("/Response/Dial") == 1) {
      rings++;
      app.clock.advance(Duration.ofSeconds(65));
      twiml = post(relative(twiml.text("/Response/Dial/@action")), dialEnded("no-answer", false));
    }

    assertEquals(Forwarding.NOBODY_ANSWERED, twiml.text("/Response/Say[1]"));
    assertTrue("rang " + rings + " times", rings >= 8 && rings <= 10);
  }

  @Test
  public void severalPeopleInALevel_areRungOneAfterAnother() {
    app.pagerDutyApi.onCall(POLICY, "PSC0001", 1, "PU00003", "Carol Example")
        .contactMethods("PU00003", phone(44, "7700900003"));
    Xml first = post(FORWARD, call());
    Xml second = post(relative(first.text("/Response/Dial/@action")), dialEnded("busy", false));
    Xml third = post(relative(second.text("/Response/Dial/@action")), dialEnded("no-answer", false));

    assertEquals("+14155550001", first.text("/Response/Dial/Number"));
    assertEquals("+447700900003", second.text("/Response/Dial/Number"));
    assertEquals("+14155550002", third.text("/Response/Dial/Number"));
  }

  @Test
  public void callerIdNumberAndRingSeconds_shapeTheDial() {
    Xml twiml = post(FORWARD + "&caller_id=number&ring_seconds=30&greeting=Hold+on", call());
    assertEquals(LINE, twiml.text("/Response/Dial/@callerId"));
    assertEquals("30", twiml.text("/Response/Dial/@timeout"));
    assertEquals("Hold on", twiml.text("/Response/Say"));
    Xml next = post(relative(twiml.text("/Response/Dial/@action")), dialEnded("no-answer", false));
    assertEquals("settings carry to the next level", LINE, next.text("/Response/Dial/@callerId"));
    assertEquals("30", next.text("/Response/Dial/@timeout"));
  }

  @Test
  public void burstOfCalls_costsOneOnCallRequest() {
    for (int i = 0; i < 10; i++) {
      post(FORWARD, TwilioClient.incomingCall("CA" + String.format("%032d", i), CALLER));
    }
    assertEquals(1, app.pagerDutyApi.count("/oncalls"));
  }

  private void assertVoicemailBecause(Xml twiml, String reasonFragment) throws Exception {
    assertEquals(Forwarding.FORWARDING_FAILED, twiml.text("/Response/Say[1]"));
    assertEquals("/record?service_key=" + KEY, twiml.text("/Response/Record/@action"));
    assertEquals(0, twiml.count("//Dial"));
    assertEquals(0, app.pagerDuty.changes().size());
    app.runQueuedTasks();
    JSONObject event = app.pagerDuty.events().get(0);
    EventsApiSchema.assertValid(event);
    String summary = event.getJSONObject("payload").getString("summary");
    assertTrue(summary, summary.contains("could not be forwarded") && summary.contains(reasonFragment));
  }

  @Test
  public void nobodyOnCall_sendsTheCallerToVoicemailAndSaysWhy() throws Exception {
    try (LogCapture log = LogCapture.of(Forwarding.class)) {
      Xml twiml = post("/forward?escalation_policy=PEMPTY1&service_key=" + KEY, call());
      assertVoicemailBecause(twiml, "on call");
      assertTrue(log.text(), log.text().contains("NOBODY_ON_CALL"));
    }
  }

  @Test
  public void nobodyWithAPhoneNumber_sendsTheCallerToVoicemail() throws Exception {
    app.pagerDutyApi.onCall("PEP0009", null, 1, "PU00009", "Dana Example")
        .contactMethods("PU00009", sms(1, "4155550009"));
    assertVoicemailBecause(post("/forward?escalation_policy=PEP0009&service_key=" + KEY, call()), "phone");
  }

  @Test
  public void pagerDutyUnauthorized_sendsTheCallerToVoicemail() throws Exception {
    app.pagerDutyApi.answerNext(401);
    assertVoicemailBecause(post(FORWARD, call()), "");
  }

  @Test
  public void pagerDutyRateLimited_sendsTheCallerToVoicemail() throws Exception {
    app.pagerDutyApi.rateLimitNext(30);
    assertVoicemailBecause(post(FORWARD, call()), "");
  }

  @Test
  public void pagerDutyServerError_sendsTheCallerToVoicemail() throws Exception {
    app.pagerDutyApi.answerNext(500);
    assertVoicemailBecause(post(FORWARD, call()), "");
  }

  @Test
  public void pagerDutyHanging_answersWellInsideTwiliosFifteenSeconds() throws Exception {
    app.pagerDutyApi.latency(Duration.ofSeconds(20));
    long start = System.nanoTime();
    Xml twiml = post(FORWARD, call());
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue("answered after " + millis + " ms", millis < 8_000);
    assertVoicemailBecause(twiml, "");
  }

  @Test
  public void missingPolicy_isExplainedAndStillTakesAVoicemail() throws Exception {
    try (LogCapture log = LogCapture.of(Forwarding.class)) {
      Xml twiml = post("/forward?service_key=" + KEY, call());
      assertVoicemailBecause(twiml, "no escalation_policy or schedule");
      assertTrue(log.text(), log.text().contains("SEVERE") && log.text().contains("no escalation_policy"));
      assertEquals(0, app.pagerDutyApi.count());
    }
  }

  @Test
  public void malformedPolicy_isExplained() throws Exception {
    assertVoicemailBecause(post("/forward?escalation_policy=bad%20id%21&service_key=" + KEY, call()), "malformed");
  }

  @Test
  public void withoutServiceKey_aFailedForwardIsExplainedAndEndsPolitely() {
    app.pagerDutyApi.answerNext(500);
    Xml twiml = post("/forward?escalation_policy=" + POLICY, call());
    assertTrue(twiml.text("/Response/Say"), twiml.text("/Response/Say").contains("takes no messages"));
    assertEquals(1, twiml.count("/Response/Hangup"));
    assertEquals(0, app.queuedTasks().size());
  }

  @Test
  public void schedule_canBeGivenInsteadOfAPolicy() {
    Xml twiml = post("/forward?schedule=PSC0001&service_key=" + KEY, call());
    assertEquals("+14155550001", twiml.text("/Response/Dial/Number"));
    assertEquals(List.of("PSC0001"), app.pagerDutyApi.requests().get(0).parameter("schedule_ids[]"));
  }
}
