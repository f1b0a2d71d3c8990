package phoneduty.abuse;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.Settings;
import phoneduty.calllog.TimelineEntry;
import phoneduty.support.AppFixture;
import phoneduty.text.Text;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/** BLOCKED_NUMBERS and the human gate: what a call or text meets before its line's flow. */
public class ScreeningTest {

  @Rule public final AppFixture app = new AppFixture().with(Settings.BLOCKED_NUMBERS, "+1900, +14155550199");

  private static final String KEY = AppFixture.SERVICE_KEY;
  private static final String CALL = "CA0123456789abcdef0123456789abcdef";
  private static final String TEXT = "SM0123456789abcdef0123456789abcdef";

  private List<String> steps(String sid) throws Exception {
    return app.callLog().timeline(sid).stream().map(TimelineEntry::step)
        .map(step -> step.name()).toList();
  }

  @Test
  public void call_fromABlockedPrefix_isRejected_notPaged_andLogged() throws Exception {
    for (String endpoint : List.of("/call", "/forward", "/menu")) {
      String sid = "CA0123456789abcdef0123456789abc" + endpoint.length() + "0" + endpoint.charAt(1);
      HttpResponse<String> response = app.twilio.post(app.url(endpoint + "?service_key=" + KEY
          + "&escalation_policy=PEP0001&option1=" + Text.urlEncode("databases|/call?service_key=" + KEY)),
          TwilioClient.incomingCall(sid, "+19005550123"));
      Xml twiml = Xml.parse(response.body());
      assertEquals(endpoint, "rejected", twiml.text("/Response/Reject/@reason"));
      assertEquals(endpoint, 1, twiml.count("/Response/*"));
      assertEquals(List.of("blocked"), steps(sid));
    }
    assertEquals(0, app.queuedTasks().size());
    assertEquals(0, app.pagerDutyApi.requests().size());
  }

  @Test
  public void call_fromAWholeBlockedNumber_isRejected_butItsNeighbourIsAnswered() {
    Xml blocked = Xml.parse(app.twilio.post(app.url("/call?service_key=" + KEY),
        TwilioClient.incomingCall(CALL, "+14155550199")).body());
    assertEquals(1, blocked.count("/Response/Reject"));
    Xml neighbour = Xml.parse(app.twilio.post(app.url("/call?service_key=" + KEY),
        TwilioClient.incomingCall("CA0123456789abcdef0123456789abcde0", "+14155550198")).body());
    assertEquals(0, neighbour.count("/Response/Reject"));
    assertEquals(1, neighbour.count("/Response/Record"));
  }

  @Test
  public void sms_fromABlockedNumber_getsEmptyTwiml_noPage_andIsLogged() throws Exception {
    HttpResponse<String> response = app.twilio.post(app.url("/sms?service_key=" + KEY + "&reply=Paged"),
        TwilioClient.incomingSms(TEXT, "+19005550123", "win a cruise"));
    assertEquals(200, response.statusCode());
    Xml twiml = Xml.parse(response.body());
    assertEquals(1, twiml.count("/Response"));
    assertEquals(0, twiml.count("/Response/*"));
    assertEquals(0, app.queuedTasks().size());
    assertEquals(List.of("blocked"), steps(TEXT));
  }

  private String gateAction(HttpResponse<String> response) {
    Xml twiml = Xml.parse(response.body());
    assertEquals("To reach the on-call engineer, press 1.", twiml.text("/Response/Gather/Say"));
    assertEquals("1", twiml.text("/Response/Gather/@numDigits"));
    String action = twiml.text("/Response/Gather/@action");
    assertEquals(action, twiml.text("/Response/Redirect"));
    return URI.create(app.url("/call")).resolve(action).toString();
  }

  private Map<String, String> pressed(String digits) {
    Map<String, String> call = TwilioClient.incomingCall(CALL, "+14155550100");
    if (digits != null) {
      call.put("Digits", digits);
    }
    return call;
  }

  @Test
  public void gate_pressing1_goesOnToTheLine_withItsSettings() throws Exception {
    String action = gateAction(app.twilio.post(app.url("/call?service_key=" + KEY + "&gate=true&greeting=Hi+team"),
        TwilioClient.incomingCall(CALL, "+14155550100")));
    assertTrue(action, action.contains("greeting=Hi+team") && action.endsWith("gate=answer1"));

    Xml voicemail = Xml.parse(app.twilio.post(action, pressed("1")).body());
    assertEquals("Hi team", voicemail.text("/Response/Say[1]"));
    assertEquals(1, voicemail.count("/Response/Record"));
    assertEquals(List.of("human gate", "human gate passed", "greeting played"), steps(CALL));
  }

  @Test
  public void gate_pressingNothingTwice_hangsUpWithoutAPage() throws Exception {
    String first = gateAction(app.twilio.post(app.url("/call?service_key=" + KEY + "&gate=true"),
        TwilioClient.incomingCall(CALL, "+14155550100")));
    String second = gateAction(app.twilio.post(first, pressed(null)));
    assertTrue(second, second.endsWith("gate=answer2"));
    Xml end = Xml.parse(app.twilio.post(second, pressed("7")).body());
    assertEquals(1, end.count("/Response/Hangup"));
    assertEquals(1, end.count("/Response/*"));

    assertEquals(0, app.queuedTasks().size());
    assertEquals(List.of("human gate", "human gate", "human gate failed"), steps(CALL));
    assertEquals("the caller pressed another key twice; hung up without a page",
        app.callLog().timeline(CALL).get(2).step().detail());
  }

  @Test
  public void gate_aWrongKeyThen1_passesOnTheSecondTry() throws Exception {
    app.pagerDutyApi.aliceThenBob("PEP0001");
    String first = gateAction(app.twilio.post(app.url("/forward?service_key=" + KEY + "&gate=true&escalation_policy=PEP0001"),
        TwilioClient.incomingCall(CALL, "+14155550100")));
    assertTrue(first, first.contains("/forward?") && first.contains("escalation_policy=PEP0001"));
    String second = gateAction(app.twilio.post(first, pressed("9")));
    Xml forwarded = Xml.parse(app.twilio.post(second, pressed("1")).body());
    assertEquals("+14155550001", forwarded.text("/Response/Dial/Number"));
  }

  @Test
  public void gate_onAMenu_playsTheMenuOnce1IsPressed() throws Exception {
    String menu = "/menu?option1=" + Text.urlEncode("databases|/call?service_key=" + KEY) + "&gate=true";
    String action = gateAction(app.twilio.post(app.url(menu), TwilioClient.incomingCall(CALL, "+14155550100")));
    Xml twiml = Xml.parse(app.twilio.post(action, pressed("1")).body());
    assertTrue(twiml.text("/Response/Gather/@action"), twiml.text("/Response/Gather/@action").startsWith("/menu/choice?"));
  }

  @Test
  public void gateQuery_keepsTheLinesSettings_andDropsWhatTwilioAddsToAGet() {
    assertEquals("service_key=abc&greeting=Hi%20there&gate=",
        Screening.lineQuery(Optional.of("service_key=abc&CallSid=CA1&From=%2B1415&greeting=Hi%20there&gate=answer1&Digits=1")));
    assertEquals("gate=", Screening.lineQuery(Optional.empty()));
  }
}
