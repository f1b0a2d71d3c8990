package phoneduty.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import phoneduty.support.DevServer;
import phoneduty.support.FakePagerDuty;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/**
 * The hotline both ways, in the dev server: a responder calls back a voicemail's caller from the
 * line's own number; a blocked number is rejected; the human gate stands before the line.
 */
public class HotlineIT {

  private static final String TOKEN = "e2e-hotline-token";
  private static final String KEY = "e2e1123456789abcdef0123456789abc";
  private static final String RESPONDER = "+14155550177";
  private static final Duration DELIVERY = Duration.ofSeconds(20);

  private static FakePagerDuty pagerDuty;
  private static DevServer server;
  private static final TwilioClient twilio = new TwilioClient(TOKEN);

  @BeforeClass
  public static void start() throws Exception {
    pagerDuty = FakePagerDuty.start();
    server = DevServer.builder()
        .env("TWILIO_AUTH_TOKEN", TOKEN)
        .env("PAGERDUTY_EVENTS_BASE_URL", pagerDuty.baseUrl().toString())
        .env("RESPONDER_NUMBERS", RESPONDER)
        .env("BLOCKED_NUMBERS", "+1900")
        .start();
  }

  @AfterClass
  public static void stop() {
    if (server != null) {
      server.close();
    }
    if (pagerDuty != null) {
      pagerDuty.close();
    }
  }

  private static String url(String pathAndQuery) {
    return server.baseUrl() + pathAndQuery;
  }

  private static String resolve(String action) {
    return URI.create(url("/call")).resolve(action).toString();
  }

  @Test
  public void aVoicemail_thenTheResponderCallsAndPresses1_dialsTheCallerWithTheHotlinesCallerId() throws Exception {
    String callSid = "CA00000000000000000000000000000h01";
    String caller = "+14155550130";
    Xml prompt = Xml.parse(twilio.post(url("/call?service_key=" + KEY), TwilioClient.incomingCall(callSid, caller)).body());
    twilio.post(resolve(prompt.text("/Response/Record/@action")), TwilioClient.recordingDone(callSid, caller, 11));
    pagerDuty.awaitEvent(e -> callSid.equals(e.getString("dedup_key")), DELIVERY);

    // The call log is written by tasks; the menu names the caller once they have run.
    Xml menu = null;
    long deadline = System.nanoTime() + DELIVERY.toNanos();
    for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
      Map<String, String> responder = TwilioClient.incomingCall("CA0000000000000000000000000000r" + String.format("%03d", attempt), RESPONDER);
      responder.put("StirVerstat", "TN-Validation-Passed-A");
      menu = Xml.parse(twilio.post(url("/call?service_key=" + KEY), responder).body());
      if (menu.text("/Response/Gather/Say[2]").startsWith("The last caller was 1 4 1 5 5 5 5 0 1 3 0")) {
        Map<String, String> press = new java.util.HashMap<>(responder);
        press.put("Digits", "1");
        Xml dial = Xml.parse(twilio.post(resolve(menu.text("/Response/Gather/@action")), press).body());
        assertEquals("+18005551212", dial.text("/Response/Dial/@callerId"));
        assertEquals(caller, dial.text("/Response/Dial/Number"));
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the responder menu never named the caller: " + menu);
  }

  @Test
  public void aBlockedNumber_isRejected_andTheGate_standsBeforeTheLine() {
    Xml rejected = Xml.parse(twilio.post(url("/call?service_key=" + KEY),
        TwilioClient.incomingCall("CA00000000000000000000000000000h02", "+19005550100")).body());
    assertEquals("rejected", rejected.text("/Response/Reject/@reason"));

    Xml gate = Xml.parse(twilio.post(url("/call?service_key=" + KEY + "&gate=true"),
        TwilioClient.incomingCall("CA00000000000000000000000000000h03", "+14155550131")).body());
    assertEquals("To reach the on-call engineer, press 1.", gate.text("/Response/Gather/Say"));
    Map<String, String> pressed = TwilioClient.incomingCall("CA00000000000000000000000000000h03", "+14155550131");
    pressed.put("Digits", "1");
    Xml line = Xml.parse(twilio.post(resolve(gate.text("/Response/Gather/@action")), pressed).body());
    assertTrue(line.toString(), line.count("/Response/Record") == 1);
  }
}
