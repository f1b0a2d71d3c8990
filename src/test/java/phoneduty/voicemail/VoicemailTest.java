package phoneduty.voicemail;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.support.AppFixture;
import phoneduty.support.LogCapture;
import phoneduty.support.EventsApiSchema;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

public class VoicemailTest {

  @Rule public final AppFixture app = new AppFixture();

  private static final String KEY = AppFixture.SERVICE_KEY;
  private static final String CALL_SID = "CA0123456789abcdef0123456789abcdef";
  private static final String CALLER = "+14155550100";

  private Xml call(String query) {
    HttpResponse<String> response =
        app.twilio.post(app.url("/call" + query), TwilioClient.incomingCall(CALL_SID, CALLER));
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/xml"));
    return Xml.parse(response.body());
  }

  @Test
  public void call_withoutGreeting_speaksTheDefaultGreetingAndRecords() {
    Xml twiml = call("?service_key=" + KEY);

    assertEquals("Leave a message to contact the on call staff.", twiml.text("/Response/Say[1]"));
    assertEquals(1, twiml.count("/Response/Record"));
    assertEquals("/record?service_key=" + KEY, twiml.text("/Response/Record/@action"));
    assertEquals("#", twiml.text("/Response/Record/@finishOnKey"));
    assertEquals("true", twiml.text("/Response/Record/@playBeep"));
    int maxLength = Integer.parseInt(twiml.text("/Response/Record/@maxLength"));
    assertTrue("maxLength " + maxLength, maxLength >= 60 && maxLength <= 600);
    // Silence: Twilio goes on past <Record>, and the redirect reports the missed call.
    assertEquals("/record?service_key=" + KEY, twiml.text("/Response/Redirect"));
  }

  @Test
  public void call_withGet_answersTheSameTwiml() {
    HttpResponse<String> response = app.twilio.get(app.url("/call"),
        Map.of("service_key", KEY, "greeting", "Page the DBA", "CallSid", CALL_SID, "From", CALLER));
    assertEquals(200, response.statusCode());
    assertEquals("Page the DBA", Xml.parse(response.body()).text("/Response/Say[1]"));
  }

  @Test
  public void call_withGreeting_speaksIt() {
    Xml twiml = call("?service_key=" + KEY + "&greeting=Leave+a+message+for+the+DBA+on+call.");
    assertEquals("Leave a message for the DBA on call.", twiml.text("/Response/Say[1]"));
  }

  @Test
  public void call_withXmlHostileGreeting_speaksItAsTextAndInjectsNothing() {
    String hostile = "</Say><Dial>+19005550000</Dial><Say>&amp; \"quoted\" 'single' <b>";
    Xml twiml = call("?service_key=" + KEY + "&greeting=" + java.net.URLEncoder.encode(hostile, java.nio.charset.StandardCharsets.UTF_8));

    assertEquals(hostile, twiml.text("/Response/Say[1]"));
    assertEquals(0, twiml.count("//Dial"));
    assertEquals(0, twiml.count("//b"));
  }

  @Test
  public void call_withOverlongGreeting_isCutToTwilioLimit() {
    Xml twiml = call("?service_key=" + KEY + "&greeting=" + "a".repeat(5000));
    assertEquals(1000, twiml.text("/Response/Say[1]").length());
  }

  @Test
  public void call_withSeverity_carriesItToTheRecordingAction() {
    Xml twiml = call("?service_key=" + KEY + "&severity=warning");
    assertEquals("/record?service_key=" + KEY + "&severity=warning", twiml.text("/Response/Record/@action"));
  }

  @Test
  public void call_withoutServiceKey_tellsTheCallerTheLineIsMisconfigured() {
    try (LogCapture log = LogCapture.of(Voicemail.class)) {
      Xml twiml = call("");
      assertTrue(twiml.text("/Response/Say").contains("not configured correctly"));
      assertEquals(1, twiml.count("/Response/Hangup"));
      assertEquals(0, twiml.count("//Record"));
      assertTrue(log.text(), log.text().contains("service_key is missing"));
    }
  }

  @Test
  public void call_withMalformedServiceKey_tellsTheCallerAndLogsTheProblem() {
    try (LogCapture log = LogCapture.of(Voicemail.class)) {
      Xml twiml = call("?service_key=not-a-key");
      assertTrue(twiml.text("/Response/Say").contains("not configured correctly"));
      assertTrue(log.text(), log.text().contains("service_key is malformed"));
      assertFalse("the key is not logged", log.text().contains("not-a-key"));
    }
  }

  @Test
  public void recording_opensOneIncidentWithTheCallerAndAShortLinkToTheRecording() throws Exception {
    Map<String, String> params = TwilioClient.recordingDone(CALL_SID, CALLER, 42);
    HttpResponse<String> response = app.twilio.post(app.url("/record?service_key=" + KEY), params);

    Xml twiml = Xml.parse(response.body());
    assertEquals(200, response.statusCode());
    assertTrue(twiml.text("/Response/Say").startsWith("Thank you."));
    assertEquals(1, twiml.count("/Response/Hangup"));

    assertEquals(List.of(200), app.runQueuedTasks());
    List<JSONObject> events = app.pagerDuty.events();
    assertEquals(1, events.size());
    JSONObject event = events.get(0);
    EventsApiSchema.assertValid(event);
    assertEquals(KEY, event.getString("routing_key"));
    assertEquals("trigger", event.getString("event_action"));
    assertEquals(CALL_SID, event.getString("dedup_key"));
    JSONObject payload = event.getJSONObject("payload");
    assertEquals("critical", payload.getString("severity"));
    assertEquals("2026-11-22T06:00:00Z", payload.getString("timestamp"));
    String summary = payload.getString("summary");
    assertTrue(summary, summary.startsWith("Voicemail from +14155550100 (SAN FRANCISCO, CA, US): " + app.baseUrl() + "/r/"));
    assertTrue(summary, summary.endsWith("(42 s)"));

    String shortLink = event.getJSONArray("links").getJSONObject(0).getString("href");
    assertTrue(summary.contains(shortLink));
    assertEquals(params.get("RecordingUrl") + ".mp3", app.shortLinkTarget(shortLink).orElseThrow());
    JSONObject details = payload.getJSONObject("custom_details");
    assertEquals(CALLER, details.getString("from"));
    assertEquals("+18005551212", details.getString("to"));
    assertEquals("42", details.getString("recording_duration_seconds"));
    assertEquals(params.get("RecordingUrl") + ".mp3", details.getString("recording_url"));
  }

  @Test
  public void recording_sentTwiceByTwilio_queuesOneDelivery() throws Exception {
    Map<String, String> params = TwilioClient.recordingDone(CALL_SID, CALLER, 12);
    app.twilio.post(app.url("/record?service_key=" + KEY), params);
    HttpResponse<String> retry = app.twilio.post(app.url("/record?service_key=" + KEY), params);

    assertEquals(200, retry.statusCode());
    assertTrue(Xml.parse(retry.body()).text("/Response/Say").startsWith("Thank you."));
    assertEquals(1, app.queuedTasks().size());
    app.runQueuedTasks();
    assertEquals(1, app.pagerDuty.events().size());
  }

  @Test
  public void recording_whenTheCallerStayedSilent_pagesAMissedCallWithTheirNumber() throws Exception {
    Map<String, String> params = TwilioClient.incomingCall(CALL_SID, CALLER);
    params.put("RecordingUrl", "");
    params.put("RecordingDuration", "0");
    HttpResponse<String> response = app.twilio.post(app.url("/record?service_key=" + KEY), params);

    assertTrue(Xml.parse(response.body()).text("/Response/Say").startsWith("No message was recorded."));
    app.runQueuedTasks();
    JSONObject event = app.pagerDuty.events().get(0);
    EventsApiSchema.assertValid(event);
    assertEquals("Missed call from +14155550100 (SAN FRANCISCO, CA, US): hung up without leaving a message",
        event.getJSONObject("payload").getString("summary"));
    assertFalse(event.has("links"));
  }

  @Test
  public void call_asksTwilioToReportARecordingItDoesNotKeep_namingTheCaller() {
    Xml twiml = call("?service_key=" + KEY);

    assertEquals("/recording-absent?service_key=" + KEY + "&caller=%2B14155550100",
        twiml.text("/Response/Record/@recordingStatusCallback"));
    assertEquals("absent", twiml.text("/Response/Record/@recordingStatusCallbackEvent"));
    assertEquals("POST", twiml.text("/Response/Record/@recordingStatusCallbackMethod"));
  }

  @Test
  public void callerWhoHangsUpAtTheBeep_pagesOneMissedCallWithTheirNumber() throws Exception {
    String absent = call("?service_key=" + KEY).text("/Response/Record/@recordingStatusCallback");

    // Twilio does not request the recording action after an empty recording; this callback is all.
    HttpResponse<String> response = app.twilio.post(app.url(absent), TwilioClient.recordingAbsent(CALL_SID));
    app.runQueuedTasks();

    assertEquals(200, response.statusCode());
    assertEquals(1, Xml.parse(response.body()).count("/Response"));
    List<JSONObject> events = app.pagerDuty.events();
    assertEquals(1, events.size());
    EventsApiSchema.assertValid(events.get(0));
    assertEquals(CALL_SID, events.get(0).getString("dedup_key"));
    JSONObject payload = events.get(0).getJSONObject("payload");
    assertEquals("Missed call from +14155550100: hung up without leaving a message", payload.getString("summary"));
    assertEquals(CALLER, payload.getJSONObject("custom_details").getString("from"));
    assertEquals("16101", payload.getJSONObject("custom_details").getString("twilio_recording_error"));
    assertFalse(events.get(0).has("links"));
  }

  @Test
  public void silentCaller_reportedByTheRedirectAndTheAbsentCallbackAlike_pagesOnce() throws Exception {
    Xml twiml = call("?service_key=" + KEY);
    Map<String, String> silence = TwilioClient.incomingCall(CALL_SID, CALLER);
    silence.put("CallStatus", "in-progress");
    app.twilio.post(app.url(twiml.text("/Response/Redirect")), silence);
    app.twilio.post(app.url(twiml.text("/Response/Record/@recordingStatusCallback")),
        TwilioClient.recordingAbsent(CALL_SID));
    app.runQueuedTasks();

    assertEquals(1, app.pagerDuty.events().size());
  }

  @Test
  public void absentRecording_withoutServiceKey_answersTwimlAndQueuesNothing() {
    HttpResponse<String> response = app.twilio.post(app.url("/recording-absent"), TwilioClient.recordingAbsent(CALL_SID));

    assertEquals(200, response.statusCode());
    assertEquals(1, Xml.parse(response.body()).count("/Response"));
    assertEquals(0, app.queuedTasks().size());
  }

  @Test
  public void recording_withSeverity_pagesAtThatSeverity() throws Exception {
    app.twilio.post(app.url("/record?service_key=" + KEY + "&severity=warning"),
        TwilioClient.recordingDone(CALL_SID, CALLER, 5));
    app.runQueuedTasks();
    assertEquals("warning", app.pagerDuty.events().get(0).getJSONObject("payload").getString("severity"));
  }

  @Test
  public void recording_withoutServiceKey_answersTwimlAndQueuesNothing() {
    HttpResponse<String> response = app.twilio.post(app.url("/record"), TwilioClient.recordingDone(CALL_SID, CALLER, 5));
    assertEquals(200, response.statusCode());
    assertTrue(Xml.parse(response.body()).text("/Response/Say").contains("not configured correctly"));
    assertEquals(0, app.queuedTasks().size());
  }
}
