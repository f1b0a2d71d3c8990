package phoneduty.callback;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.Settings;
import phoneduty.support.AppFixture;
import phoneduty.support.Xml;

/** Without an attested caller ID, a responder reaches the menu only with RESPONDER_PIN. */
public class ResponderPinTest {

  @Rule public final AppFixture app = new AppFixture().with(Settings.RESPONDER_NUMBERS, ResponderDeskTest.RESPONDER)
      .with(Settings.RESPONDER_PIN, "2468");

  private Xml enter(Xml prompt, String digits) {
    Map<String, String> params = ResponderDeskTest.responderCall(ResponderDeskTest.RESPONDER, null);
    params.put("Digits", digits);
    String action = prompt.text("/Response/Gather/@action");
    return Xml.parse(app.twilio.post(URI.create(app.url("/call")).resolve(action).toString(), params).body());
  }

  private Xml callLine() {
    return Xml.parse(app.twilio.post(app.url("/call?service_key=" + ResponderDeskTest.KEY),
        ResponderDeskTest.responderCall(ResponderDeskTest.RESPONDER, null)).body());
  }

  @Test
  public void theRightPin_opensTheMenu() throws Exception {
    ResponderDeskTest.voicemail(app, 1, ResponderDeskTest.CUSTOMER);
    Xml prompt = callLine();
    assertEquals("Enter your PIN.", prompt.text("/Response/Gather/Say"));
    assertEquals("4", prompt.text("/Response/Gather/@numDigits"));
    assertEquals("The last caller was 1 4 1 5 5 5 5 0 1 0 0, 0 minutes ago.",
        enter(prompt, "2468").text("/Response/Gather/Say[2]"));
  }

  @Test
  public void aWrongPin_getsTheCallersFlow() throws Exception {
    ResponderDeskTest.voicemail(app, 1, ResponderDeskTest.CUSTOMER);
    assertEquals(1, enter(callLine(), "1357").count("/Response/Record"));
  }

  @Test
  public void aRosterResponder_onAForwardingLine_isRecognisedByTheirPhoneNumber() throws Exception {
    app.pagerDutyApi.aliceThenBob("PEP0001");
    String forward = "/forward?escalation_policy=PEP0001&service_key=" + ResponderDeskTest.KEY;
    // A first caller makes the line known (its roster held).
    app.twilio.post(app.url(forward), ResponderDeskTest.responderCall("+14155550100", null));
    Map<String, String> alice = ResponderDeskTest.responderCall("+14155550001", ResponderDeskTest.ATTESTED);
    Xml menu = Xml.parse(app.twilio.post(app.url(forward), alice).body());
    assertTrue(menu.text("/Response/Gather/Say[1]"), menu.text("/Response/Gather/Say[1]").startsWith("On call line."));
    assertEquals(0, menu.count("//Dial"));
  }

  @Test
  public void aRosterResponder_isRecognisedByTheirSmsContactMethod_whenCallingOrTexting() throws Exception {
    app.pagerDutyApi.aliceThenBob("PEP0001");
    String line = "escalation_policy=PEP0001&service_key=" + ResponderDeskTest.KEY;
    String bobsSms = "+14155559999";
    app.twilio.post(app.url("/forward?" + line), ResponderDeskTest.responderCall("+14155550100", null));
    app.twilio.post(app.url("/sms?" + line),
        phoneduty.support.TwilioClient.incomingSms(ResponderDeskTest.sid("SM", 1), "+14155550101", "help"));
    app.runQueuedTasks();

    Xml menu = Xml.parse(app.twilio.post(app.url("/forward?" + line),
        ResponderDeskTest.responderCall(bobsSms, ResponderDeskTest.ATTESTED)).body());
    assertTrue(menu.text("/Response/Gather/Say[1]"), menu.text("/Response/Gather/Say[1]").startsWith("On call line."));

    Xml relayed = Xml.parse(app.twilio.post(app.url("/sms?" + line),
        phoneduty.support.TwilioClient.incomingSms(ResponderDeskTest.sid("SM", 2), bobsSms, "2468 on my way")).body());
    assertEquals("+14155550101", relayed.text("/Response/Message[1]/@to"));
    assertEquals("on my way", relayed.text("/Response/Message[1]"));
  }

  @Test
  public void aResponderText_withThePin_isRelayedWithoutIt_andWithoutIt_isPagedAsAText() throws Exception {
    app.twilio.post(app.url("/sms?service_key=" + ResponderDeskTest.KEY),
        phoneduty.support.TwilioClient.incomingSms(ResponderDeskTest.sid("SM", 1), "+14155550100", "help"));
    app.runQueuedTasks();
    Xml relayed = Xml.parse(app.twilio.post(app.url("/sms?service_key=" + ResponderDeskTest.KEY),
        phoneduty.support.TwilioClient.incomingSms(ResponderDeskTest.sid("SM", 2), ResponderDeskTest.RESPONDER,
            "2468 on my way")).body());
    assertEquals("on my way", relayed.text("/Response/Message[1]"));
    Xml paged = Xml.parse(app.twilio.post(app.url("/sms?service_key=" + ResponderDeskTest.KEY),
        phoneduty.support.TwilioClient.incomingSms(ResponderDeskTest.sid("SM", 3), ResponderDeskTest.RESPONDER,
            "on my way")).body());
    assertEquals(0, paged.count("//Message[@to]"));
    app.runQueuedTasks();
    assertEquals(2, app.pagerDuty.events().size());
  }
}
