package phoneduty.abuse;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.Settings;
import phoneduty.support.AppFixture;
import phoneduty.support.LogCapture;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/**
 * The steps issues 14 and 15 added (the gate, the responder menu and PIN, the text relay), fed
 * what an attacker sends: control characters and line breaks in every field, a thousand
 * parameters, a megabyte, bytes that are not UTF-8. Each answers well-formed TwiML (or, for what
 * Twilio never sends, a 400 with its reason), pages nothing twice, and logs no forged line.
 */
public class HostileScreeningTest {

  private static final String KEY = AppFixture.SERVICE_KEY;
  private static final String RESPONDER = "+14155550111";
  private static final String CALL = "CA0123456789abcdef0123456789abcdef";
  private static final String HOSTILE = "\r\nSEVERE: FORGED \u0000\u0001\u000b\ufffe<x>&";

  @Rule public final AppFixture app = new AppFixture().with(Settings.RESPONDER_NUMBERS, RESPONDER)
      .with(Settings.RESPONDER_PIN, "2468").with(Settings.BLOCKED_NUMBERS, "+1900");

  private static final List<String> VOICE_STEPS = List.of(
      "/call?service_key=" + KEY + "&gate=true",
      "/call?service_key=" + KEY + "&gate=answer1",
      "/call?service_key=" + KEY + "&gate=answer2",
      "/call?service_key=" + KEY + "&responder=pin",
      "/call?service_key=" + KEY + "&responder=menu&at=99&round=1",
      "/call?service_key=" + KEY + "&responder=choice&at=0&contact=CA%0D%0Ax&round=0",
      "/forward?service_key=" + KEY + "&escalation_policy=PEP0001&gate=answer1",
      "/menu?option1=x&gate=answer2");

  private static Map<String, String> hostile(Map<String, String> params, boolean keepFrom) {
    Map<String, String> spoiled = new LinkedHashMap<>();
    params.forEach((name, value) -> spoiled.put(name, keepFrom && name.equals("From") ? value : value + HOSTILE));
    spoiled.put("Digits", "1" + HOSTILE);
    spoiled.put("StirVerstat", "TN-Validation-Passed-A" + HOSTILE);
    return spoiled;
  }

  /** What Twilio never sends (a thousand parameters, bytes that are not UTF-8) is refused with a reason. */
  private void assertRefusedWithAReason(String step, HttpResponse<String> response) {
    assertEquals(step, 400, response.statusCode());
    assertEquals(step, "Bad request: the request's parameters could not be read (not valid URL-encoded UTF-8, or too many)",
        response.body().strip());
  }

  private void assertWellFormedTwiml(String step, HttpResponse<String> response) {
    assertEquals(step, 200, response.statusCode());
    Xml.parse(response.body()); // throws when it is not well-formed XML
    assertFalse(step, response.body().contains("FORGED\u0000"));
  }

  @Test
  public void everyNewVoiceStep_withControlCharactersInEveryField_answersWellFormedTwiml() {
    try (LogCapture log = LogCapture.of("phoneduty")) {
      for (String step : VOICE_STEPS) {
        for (boolean responder : List.of(true, false)) {
          Map<String, String> call = TwilioClient.incomingCall(CALL, responder ? RESPONDER : "+14155550100");
          assertWellFormedTwiml(step, app.twilio.post(app.url(step), hostile(call, responder)));
        }
      }
      assertFalse(log.text(), log.text().matches("(?s).*[\\r\\n]SEVERE: FORGED.*"));
    }
  }

  @Test
  public void everyNewVoiceStep_withAMegabyte_answersWellFormedTwiml_andAThousandParametersAreRefused() {
    Map<String, String> call = TwilioClient.incomingCall(CALL, RESPONDER);
    for (int i = 0; i < 1000; i++) {
      call.put("p" + i, "v" + i);
    }
    Map<String, String> megabyte = TwilioClient.incomingCall(CALL, RESPONDER);
    megabyte.put("Digits", "1".repeat(1_000_000));
    for (String step : VOICE_STEPS) {
      assertRefusedWithAReason(step, app.twilio.post(app.url(step), call));
      assertWellFormedTwiml(step, app.twilio.post(app.url(step), megabyte));
    }
    assertEquals(0, app.queuedTasks().size());
  }

  @Test
  public void everyNewVoiceStep_withBytesThatAreNotUtf8_isRefusedWithAReason() {
    Map<String, String> call = TwilioClient.incomingCall(CALL, RESPONDER);
    call.put("Digits", "\ufffd\ufffd");
    byte[] body = TwilioClient.formBody(call).replace("%EF%BF%BD", "%FF").getBytes(StandardCharsets.US_ASCII);
    for (String step : VOICE_STEPS) {
      assertRefusedWithAReason(step, app.twilio.postBytes(app.url(step), call, body));
    }
  }

  @Test
  public void aResponderText_withControlCharactersAndAMegabyte_isRelayedCutAndWellFormed_orPagedOnce() throws Exception {
    app.twilio.post(app.url("/sms?service_key=" + KEY),
        TwilioClient.incomingSms("SM0123456789abcdef0123456789abcde1", "+14155550100", "checkout is down"));
    app.runQueuedTasks();
    Map<String, String> text = TwilioClient.incomingSms("SM0123456789abcdef0123456789abcde2", RESPONDER,
        "2468 " + HOSTILE + "x".repeat(1_000_000));
    HttpResponse<String> relayed = app.twilio.post(app.url("/sms?service_key=" + KEY), text);
    assertWellFormedTwiml("relay", relayed);
    Xml twiml = Xml.parse(relayed.body());
    assertEquals("+14155550100", twiml.text("/Response/Message[1]/@to"));
    assertTrue(twiml.text("/Response/Message[1]").length() <= 1600);

    // Twilio's retry of the hostile text from a caller pages once.
    Map<String, String> caller = hostile(TwilioClient.incomingSms("SM0123456789abcdef0123456789abcde3", "+14155550100",
        "hi"), true);
    caller.put("MessageSid", "SM0123456789abcdef0123456789abcde3");
    caller.put("SmsSid", "SM0123456789abcdef0123456789abcde3");
    caller.put("SmsMessageSid", "SM0123456789abcdef0123456789abcde3");
    app.twilio.post(app.url("/sms?service_key=" + KEY), caller);
    app.twilio.post(app.url("/sms?service_key=" + KEY), caller);
    app.runQueuedTasks();
    assertEquals(2, app.pagerDuty.events().size());
  }

  @Test
  public void aGateActionPointingElsewhere_staysOnThisApp() {
    String gate = Xml.parse(app.twilio.post(app.url("/call?service_key=" + KEY + "&gate=true&greeting=%0D%0Ahi"),
        TwilioClient.incomingCall(CALL, "+14155550100")).body()).text("/Response/Gather/@action");
    assertTrue(gate, gate.startsWith("/call?") && URI.create(app.url("/")).resolve(gate).getHost().equals("127.0.0.1"));
  }
}
