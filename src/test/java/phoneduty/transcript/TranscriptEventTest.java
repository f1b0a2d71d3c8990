package phoneduty.transcript;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.json.JSONObject;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.Settings;
import phoneduty.support.AppFixture;
import phoneduty.support.EventsApiSchema;
import phoneduty.support.LogCapture;
import phoneduty.support.TwilioClient;

/** Without PAGERDUTY_USER_EMAIL, a voicemail's transcript follows as a trigger with the voicemail's dedup key. */
public class TranscriptEventTest {

  @Rule public final AppFixture app = new AppFixture()
      // Nothing here hangs on purpose: room for a loaded build machine, so only the behaviour can fail.
      .with(Settings.PAGERDUTY_EVENTS_READ_TIMEOUT_MS, "5000").with(Settings.PAGERDUTY_API_READ_TIMEOUT_MS, "5000");

  private static final String KEY = AppFixture.SERVICE_KEY;
  private static final String CALL_SID = "CA0123456789abcdef0123456789abcdef";
  private static final String CALLER = "+14155550100";
  private static final String TEXT = "Hi, this is Dana. The cooling in hall B has stopped. Call me back.";

  private void transcribed(String query, String status, String text) {
    assertEquals(200, app.twilio.post(app.url("/transcription?service_key=" + KEY + query),
        TwilioClient.transcription(CALL_SID, CALLER, status, text)).statusCode());
  }

  @Test
  public void transcript_followsTheVoicemailAsATriggerWithTheSameDedupKey() throws Exception {
    app.twilio.post(app.url("/record?service_key=" + KEY + "&severity=warning&transcribe=true"),
        TwilioClient.recordingDone(CALL_SID, CALLER, 20));
    transcribed("&severity=warning", "completed", TEXT);
    assertEquals(List.of(200, 200), app.runQueuedTasks());

    List<JSONObject> events = app.pagerDuty.events();
    assertEquals(2, events.size());
    JSONObject voicemail = events.get(0);
    JSONObject followUp = events.get(1);
    EventsApiSchema.assertValid(followUp);
    assertEquals("trigger", followUp.getString("event_action"));
    assertEquals(CALL_SID, voicemail.getString("dedup_key"));
    assertEquals("the same incident", voicemail.getString("dedup_key"), followUp.getString("dedup_key"));
    assertEquals(KEY, followUp.getString("routing_key"));
    JSONObject payload = followUp.getJSONObject("payload");
    assertEquals("warning", payload.getString("severity"));
    assertEquals("Transcript of the voicemail from " + "+14155550100 (SAN FRANCISCO, CA, US): " + TEXT,
        payload.getString("summary"));
    JSONObject details = payload.getJSONObject("custom_details");
    assertEquals(TEXT, details.getString("transcript"));
    assertEquals(CALL_SID, details.getString("call_sid"));
    assertEquals("TR" + CALL_SID.substring(2), details.getString("transcription_sid"));
    assertEquals("without the email setting the REST API is not asked", 0, app.pagerDutyApi.count());
  }

  @Test
  public void repeatedCallback_sendsOneFollowUpEvent() throws Exception {
    transcribed("", "completed", TEXT);
    transcribed("", "completed", TEXT);
    app.runQueuedTasks();
    transcribed("", "completed", TEXT);
    app.runQueuedTasks();

    assertEquals(1, app.pagerDuty.events().size());
    assertEquals(CALL_SID, app.pagerDuty.events().get(0).getString("dedup_key"));
  }

  @Test
  public void followUpEvent_isRetriedWhilePagerDutyFails() throws Exception {
    app.pagerDuty.answerNext(500, 429);
    transcribed("", "completed", TEXT);
    assertEquals(List.of(503), app.runQueuedTasks());
    assertEquals(List.of(503), app.runQueuedTasks());
    assertEquals(List.of(200), app.runQueuedTasks());
    assertEquals(1, app.pagerDuty.events().size());
  }

  @Test
  public void failedTranscription_sendsNothing() throws Exception {
    try (LogCapture log = LogCapture.of(Transcripts.class)) {
      transcribed("", "failed", null);
      assertTrue(log.text(), log.text().contains("ended failed"));
    }
    assertEquals(List.of(), app.runQueuedTasks());
    assertEquals(0, app.pagerDuty.attempts().size());
  }

  @Test
  public void voicemailWithoutTranscribe_saysNothingOfATranscript() throws Exception {
    app.twilio.post(app.url("/record?service_key=" + KEY), TwilioClient.recordingDone(CALL_SID, CALLER, 20));
    app.runQueuedTasks();
    JSONObject details = app.pagerDuty.events().get(0).getJSONObject("payload").getJSONObject("custom_details");
    assertEquals(false, details.has("transcript"));
  }

  @Test
  public void transcript_andAFailedOne_showOnTheCallsTimeline() throws Exception {
    app.twilio.post(app.url("/call?service_key=" + KEY + "&transcribe=true"), TwilioClient.incomingCall(CALL_SID, CALLER));
    transcribed("", "completed", TEXT);
    transcribed("", "failed", "");

    List<String> steps = app.callLog().timeline(CALL_SID).stream()
        .map(entry -> entry.step().name() + ": " + entry.step().detail()).toList();
    assertTrue(steps.toString(), steps.contains("transcript: " + TEXT));
    assertTrue(steps.toString(), steps.contains("no transcript: Twilio's transcription failed"));
  }
}
