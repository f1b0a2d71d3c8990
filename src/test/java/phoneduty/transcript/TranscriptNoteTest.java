package phoneduty.transcript;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.Settings;
import phoneduty.support.AppFixture;
import phoneduty.support.EventsApiSchema;
import phoneduty.support.FakePagerDutyRestApi;
import phoneduty.support.LogCapture;
import phoneduty.support.RestApiSchema;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/** With PAGERDUTY_API_TOKEN and PAGERDUTY_USER_EMAIL, a voicemail's transcript becomes a note on its incident. */
public class TranscriptNoteTest {

  private static final String AUTHOR = "oncall-bot@example.com";

  @Rule public final AppFixture app = new AppFixture()
      // Nothing here hangs on purpose: room for a loaded build machine, so only the behaviour can fail.
      .with(Settings.PAGERDUTY_EVENTS_READ_TIMEOUT_MS, "5000").with(Settings.PAGERDUTY_API_READ_TIMEOUT_MS, "5000")
      .with(Settings.PAGERDUTY_USER_EMAIL, AUTHOR);

  private static final String KEY = AppFixture.SERVICE_KEY;
  private static final String CALL_SID = "CA0123456789abcdef0123456789abcdef";
  private static final String CALLER = "+14155550100";
  private static final String INCIDENT = "PINC001";
  private static final String TEXT = "Hi, this is Dana from the data centre. Rack 12 is on fire, please call back.";

  private HttpResponse<String> transcribed(String status, String text) {
    return app.twilio.post(app.url("/transcription?service_key=" + KEY),
        TwilioClient.transcription(CALL_SID, CALLER, status, text));
  }

  @Test
  public void transcript_isAddedAsANoteToTheVoicemailsIncident_asTheConfiguredUser() throws Exception {
    app.twilio.post(app.url("/record?service_key=" + KEY + "&transcribe=true"),
        TwilioClient.recordingDone(CALL_SID, CALLER, 20));
    app.pagerDutyApi.incident(INCIDENT, CALL_SID);
    HttpResponse<String> answer = transcribed("completed", TEXT);

    assertEquals(200, answer.statusCode());
    assertEquals("Twilio ignores the answer: empty TwiML", 0, Xml.parse(answer.body()).count("/Response/*"));
    assertEquals(List.of(200, 200), app.runQueuedTasks());

    // The page went out with the recording, and says a transcript follows.
    List<JSONObject> events = app.pagerDuty.events();
    assertEquals(1, events.size());
    assertEquals(Transcripts.TO_FOLLOW,
        events.get(0).getJSONObject("payload").getJSONObject("custom_details").getString("transcript"));

    List<FakePagerDutyRestApi.Note> notes = app.pagerDutyApi.notes();
    assertEquals(1, notes.size());
    FakePagerDutyRestApi.Note note = notes.get(0);
    assertEquals(INCIDENT, note.incidentId());
    assertEquals(AUTHOR, note.from());
    RestApiSchema.assertValidNote(note.body());
    assertEquals(Transcripts.NOTE_HEADING + TEXT, note.content());
    FakePagerDutyRestApi.Request lookup = app.pagerDutyApi.requests().stream()
        .filter(request -> request.path().equals("/incidents")).findFirst().orElseThrow();
    assertEquals(List.of(CALL_SID), lookup.parameter("incident_key"));
  }

  @Test
  public void repeatedCallback_addsOneNote() throws Exception {
    app.pagerDutyApi.incident(INCIDENT, CALL_SID);
    transcribed("completed", TEXT);
    transcribed("completed", TEXT);
    app.runQueuedTasks();
    // Twilio repeating it after the first note went in (a queue that forgot the task's name).
    transcribed("completed", TEXT);
    app.runQueuedTasks();

    assertEquals(1, app.pagerDutyApi.notes().size());
    assertEquals(0, app.pagerDuty.events().size());
  }

  @Test
  public void incidentNotOpenedYet_isRetried_andTheNoteAddedOnceItIs() throws Exception {
    transcribed("completed", TEXT);

    assertEquals("no incident yet: retry", List.of(503), app.runQueuedTasks());
    assertEquals(0, app.pagerDutyApi.notes().size());

    app.pagerDutyApi.incident(INCIDENT, CALL_SID);
    app.clock.advance(Duration.ofSeconds(2));
    assertEquals(List.of(200), app.runQueuedTasks());
    assertEquals(1, app.pagerDutyApi.notes().size());
    assertEquals(0, app.pagerDuty.events().size());
  }

  @Test
  public void incidentThatNeverAppears_getsTheTranscriptAsAFollowUpEventAfterAnHour() throws Exception {
    transcribed("completed", TEXT);
    assertEquals(List.of(503), app.runQueuedTasks());

    app.clock.advance(Duration.ofMinutes(61));
    assertEquals("the note task ends, handing over to an event", List.of(200), app.runQueuedTasks());
    assertEquals(List.of(200), app.runQueuedTasks());

    assertEquals(0, app.pagerDutyApi.notes().size());
    List<JSONObject> events = app.pagerDuty.events();
    assertEquals(1, events.size());
    EventsApiSchema.assertValid(events.get(0));
    assertEquals(CALL_SID, events.get(0).getString("dedup_key"));
    assertEquals(TEXT, events.get(0).getJSONObject("payload").getJSONObject("custom_details").getString("transcript"));
  }

  @Test
  public void pagerDutyFailingOrRateLimiting_isRetried_andTheNoteAddedOnce() throws Exception {
    app.pagerDutyApi.incident(INCIDENT, CALL_SID);
    app.pagerDutyApi.answerNextOn("/incidents", 500);
    transcribed("completed", TEXT);
    assertEquals(List.of(503), app.runQueuedTasks());

    app.pagerDutyApi.rateLimitNextOn("/incidents/" + INCIDENT + "/notes", 30);
    assertEquals(List.of(503), app.runQueuedTasks());
    int requests = app.pagerDutyApi.count();
    assertEquals("within the 429's reset: no request at all", List.of(503), app.runQueuedTasks());
    assertEquals(requests, app.pagerDutyApi.count());

    app.clock.advance(Duration.ofSeconds(31));
    assertEquals(List.of(200), app.runQueuedTasks());
    assertEquals(1, app.pagerDutyApi.notes().size());
  }

  @Test
  public void noteRefusedForGood_isNotRetried_andTheTranscriptGoesAsAFollowUpEvent() throws Exception {
    app.pagerDutyApi.incident(INCIDENT, CALL_SID);
    app.pagerDutyApi.answerNextOn("/incidents/" + INCIDENT + "/notes", 400);
    try (LogCapture log = LogCapture.of(NoteTask.class)) {
      transcribed("completed", TEXT);
      assertEquals(List.of(200), app.runQueuedTasks());
      assertTrue(log.text(), log.text().contains("refused the transcript note"));
    }
    assertEquals(List.of(200), app.runQueuedTasks());
    assertEquals(0, app.pagerDutyApi.notes().size());
    assertEquals(1, app.pagerDuty.events().size());
    assertEquals(CALL_SID, app.pagerDuty.events().get(0).getString("dedup_key"));
  }

  @Test
  public void failedTranscription_isLogged_andLeavesTheIncidentAsItWas() throws Exception {
    app.pagerDutyApi.incident(INCIDENT, CALL_SID);
    try (LogCapture log = LogCapture.of(Transcripts.class)) {
      HttpResponse<String> answer = transcribed("failed", null);
      assertEquals(200, answer.statusCode());
      assertTrue(log.text(), log.text().contains("transcription of call " + CALL_SID + " ended failed"));
    }
    assertEquals(0, app.queuedTasks().size());
    assertEquals(List.of(), app.runQueuedTasks());
    assertEquals(0, app.pagerDutyApi.count());
    assertEquals(0, app.pagerDuty.attempts().size());
  }

  @Test
  public void callerControlledTranscript_isCut_andLoggedOnlyEscaped() throws Exception {
    app.pagerDutyApi.incident(INCIDENT, CALL_SID);
    String forged = "help\nSEVERE: forged log line " + "x".repeat(60_000);
    try (LogCapture log = LogCapture.of("phoneduty")) {
      transcribed("completed", forged);
      assertEquals(List.of(200), app.runQueuedTasks());
      assertFalse(log.text(), log.text().contains("\nSEVERE: forged"));
    }
    String content = app.pagerDutyApi.notes().get(0).content();
    assertEquals(Transcripts.NOTE_HEADING.length() + Transcripts.MAX_TRANSCRIPT_CHARS, content.length());
    assertTrue(content.endsWith("…"));
  }

  @Test
  public void unsignedCallback_isRefused() {
    HttpResponse<String> response = app.twilio.post(app.url("/transcription?service_key=" + KEY),
        TwilioClient.transcription(CALL_SID, CALLER, "completed", TEXT), null);
    assertEquals(403, response.statusCode());
    assertEquals(0, app.queuedTasks().size());
  }

  @Test
  public void callbackWithoutAUsableServiceKey_addsNothing() throws Exception {
    HttpResponse<String> response = app.twilio.post(app.url("/transcription?service_key=nope"),
        TwilioClient.transcription(CALL_SID, CALLER, "completed", TEXT));
    assertEquals(200, response.statusCode());
    assertEquals(0, app.queuedTasks().size());
  }

  @Test
  public void noteTaskFromOutsideTaskQueue_isRefused() throws Exception {
    HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.url(NoteQueue.HANDLER_PATH)))
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(403, response.statusCode());
  }

}
