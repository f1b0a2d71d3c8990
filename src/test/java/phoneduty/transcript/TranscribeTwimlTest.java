package phoneduty.transcript;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.support.AppFixture;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/** {@code transcribe=true} on the voicemail line and on forwarding's voicemail fallback, as TwiML. */
public class TranscribeTwimlTest {

  @Rule public final AppFixture app = new AppFixture();

  private static final String KEY = AppFixture.SERVICE_KEY;
  private static final String CALL_SID = "CA0123456789abcdef0123456789abcdef";
  private static final String CALLER = "+14155550100";
  private static final String POLICY = "PEP0001";

  private Xml post(String pathAndQuery, Map<String, String> params) {
    HttpResponse<String> response = app.twilio.post(app.url(pathAndQuery), params);
    assertEquals(response.body(), 200, response.statusCode());
    return Xml.parse(response.body());
  }

  private static String relative(String url) {
    return URI.create("http://x/forward").resolve(url).toString().substring("http://x".length());
  }

  @Test
  public void call_withTranscribe_recordsWithTranscriptionAndACallbackCarryingTheKeyAndSeverity() {
    Xml twiml = post("/call?service_key=" + KEY + "&severity=warning&transcribe=true",
        TwilioClient.incomingCall(CALL_SID, CALLER));

    assertEquals("true", twiml.text("/Response/Record/@transcribe"));
    assertEquals("/transcription?service_key=" + KEY + "&severity=warning",
        twiml.text("/Response/Record/@transcribeCallback"));
    // The recording action knows a transcript follows, so the incident can say so.
    assertEquals("/record?service_key=" + KEY + "&severity=warning&transcribe=true",
        twiml.text("/Response/Record/@action"));
    assertEquals(1, twiml.count("/Response/Redirect"));
  }

  @Test
  public void call_withoutTranscribe_hasNoTranscriptionAttributes() {
    for (String query : new String[] {"", "&transcribe=false", "&transcribe=yes"}) {
      Xml twiml = post("/call?service_key=" + KEY + query, TwilioClient.incomingCall(CALL_SID, CALLER));
      assertEquals(query, 1, twiml.count("/Response/Record"));
      assertEquals(query, 0, twiml.count("/Response/Record/@transcribe"));
      assertEquals(query, 0, twiml.count("/Response/Record/@transcribeCallback"));
      assertEquals(query, "/record?service_key=" + KEY, twiml.text("/Response/Record/@action"));
    }
  }

  @Test
  public void forward_withTranscribe_carriesItThroughEveryStepToTheVoicemailFallback() {
    app.pagerDutyApi.aliceThenBob(POLICY);
    Map<String, String> call = TwilioClient.incomingCall(CALL_SID, CALLER);
    Xml level1 = post("/forward?escalation_policy=" + POLICY + "&service_key=" + KEY + "&transcribe=true", call);
    String next = level1.text("/Response/Dial/@action");
    assertTrue(next, next.contains("&transcribe=true"));

    Map<String, String> noAnswer = TwilioClient.incomingCall(CALL_SID, CALLER);
    noAnswer.put("CallStatus", "in-progress");
    noAnswer.put("DialCallStatus", "no-answer");
    noAnswer.put("DialBridged", "false");
    Xml level2 = post(relative(next), noAnswer);
    Xml voicemail = post(relative(level2.text("/Response/Dial/@action")), noAnswer);

    assertEquals("true", voicemail.text("/Response/Record/@transcribe"));
    assertEquals("/transcription?service_key=" + KEY, voicemail.text("/Response/Record/@transcribeCallback"));
    String action = voicemail.text("/Response/Record/@action");
    assertTrue(action, action.startsWith("/record?service_key=" + KEY + "&forwarding=") && action.endsWith("&transcribe=true"));
  }

  @Test
  public void forward_withTranscribe_thatCannotRing_offersATranscribedVoicemailAtOnce() {
    Xml twiml = post("/forward?escalation_policy=PEMPTY1&service_key=" + KEY + "&transcribe=true",
        TwilioClient.incomingCall(CALL_SID, CALLER));
    assertEquals("true", twiml.text("/Response/Record/@transcribe"));
    assertEquals("/transcription?service_key=" + KEY, twiml.text("/Response/Record/@transcribeCallback"));
  }

  @Test
  public void forward_withoutTranscribe_fallsBackToAVoicemailWithoutTranscription() {
    Xml twiml = post("/forward?escalation_policy=PEMPTY1&service_key=" + KEY,
        TwilioClient.incomingCall(CALL_SID, CALLER));
    assertEquals(1, twiml.count("/Response/Record"));
    assertEquals(0, twiml.count("/Response/Record/@transcribe"));
    assertEquals(0, twiml.count("/Response/Record/@transcribeCallback"));
  }
}
