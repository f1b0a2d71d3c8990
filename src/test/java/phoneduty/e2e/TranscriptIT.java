package phoneduty.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.json.JSONObject;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import phoneduty.support.DevServer;
import phoneduty.support.FakePagerDuty;
import phoneduty.support.FakePagerDutyRestApi;
import phoneduty.support.RestApiSchema;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/**
 * A transcribed voicemail in the dev server: the page goes out with the recording, and Twilio's
 * transcript, posted later to the transcribe callback, lands as a note on that incident through
 * the real web.xml, signature filter and Task Queue.
 */
public class TranscriptIT {

  private static final String TOKEN = "e2e-auth-token";
  private static final String API_TOKEN = "e2e-pd-api-token";
  private static final String AUTHOR = "phoneduty-bot@example.com";
  private static final String KEY = "e2e0123456789abcdef0123456789abc";
  private static final Duration DELIVERY = Duration.ofSeconds(30);

  private static FakePagerDuty pagerDuty;
  private static FakePagerDutyRestApi pagerDutyApi;
  private static DevServer server;
  private static final TwilioClient twilio = new TwilioClient(TOKEN);

  @BeforeClass
  public static void start() throws Exception {
    pagerDuty = FakePagerDuty.start();
    pagerDutyApi = FakePagerDutyRestApi.start(API_TOKEN);
    server = DevServer.builder()
        .env("TWILIO_AUTH_TOKEN", TOKEN)
        .env("PAGERDUTY_EVENTS_BASE_URL", pagerDuty.baseUrl().toString())
        .env("PAGERDUTY_API_TOKEN", API_TOKEN)
        .env("PAGERDUTY_API_BASE_URL", pagerDutyApi.baseUrl().toString())
        .env("PAGERDUTY_USER_EMAIL", AUTHOR)
        .start();
  }

  @AfterClass
  public static void stop() {
    if (server != null) {
      server.close();
    }
    if (pagerDutyApi != null) {
      pagerDutyApi.close();
    }
    if (pagerDuty != null) {
      pagerDuty.close();
    }
  }

  private static String url(String pathAndQuery) {
    return server.baseUrl() + pathAndQuery;
  }

  @Test
  public void transcribedVoicemail_pagesAtOnce_thenItsTranscriptBecomesANoteOnThatIncident() throws Exception {
    String callSid = "CA000000000000000000000000000007a1";
    String caller = "+14155550131";
    HttpResponse<String> call = twilio.post(url("/call?service_key=" + KEY + "&transcribe=true"),
        TwilioClient.incomingCall(callSid, caller));
    assertEquals(server.log(), 200, call.statusCode());
    Xml prompt = Xml.parse(call.body());
    String action = prompt.text("/Response/Record/@action");
    String callback = prompt.text("/Response/Record/@transcribeCallback");
    assertEquals("true", prompt.text("/Response/Record/@transcribe"));

    twilio.post(URI.create(url("/call")).resolve(action).toString(), TwilioClient.recordingDone(callSid, caller, 17));
    JSONObject page = pagerDuty.awaitEvent(e -> callSid.equals(e.getString("dedup_key")), DELIVERY);
    assertTrue(page.getJSONObject("payload").getString("summary").startsWith("Voicemail from"));

    // PagerDuty opened the incident; Twilio's transcript comes a little later.
    pagerDutyApi.incident("PINCE2E", callSid);
    HttpResponse<String> transcribed = twilio.post(URI.create(url("/call")).resolve(callback).toString(),
        TwilioClient.transcription(callSid, caller, "completed", "The backup job failed twice tonight."));
    assertEquals(server.log(), 200, transcribed.statusCode());

    FakePagerDutyRestApi.Note note = pagerDutyApi.awaitNote("PINCE2E", DELIVERY);
    assertEquals(AUTHOR, note.from());
    RestApiSchema.assertValidNote(note.body());
    assertTrue(note.content(), note.content().endsWith("The backup job failed twice tonight."));
  }
}
