package phoneduty.callback;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.Settings;
import phoneduty.calllog.TimelineEntry;
import phoneduty.support.AppFixture;
import phoneduty.support.EventsApiSchema;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/** A responder who calls the line gets the call-back menu, if the carrier vouches for their number. */
public class ResponderDeskTest {

  static final String RESPONDER = "+14155550111";
  static final String LINE = "+18005551212";
  static final String CUSTOMER = "+14155550100";
  static final String KEY = AppFixture.SERVICE_KEY;
  static final String ATTESTED = "TN-Validation-Passed-A";

  @Rule public final AppFixture app = new AppFixture().with(Settings.RESPONDER_NUMBERS, RESPONDER);

  static String sid(String prefix, int n) {
    return prefix + String.format("%032d", n);
  }

  static void voicemail(AppFixture app, int n, String from) throws Exception {
    String action = Xml.parse(app.twilio.post(app.url("/call?service_key=" + KEY),
        TwilioClient.incomingCall(sid("CA", n), from)).body()).text("/Response/Record/@action");
    app.twilio.post(URI.create(app.url("/call")).resolve(action).toString(), TwilioClient.recordingDone(sid("CA", n), from, 9));
    app.runQueuedTasks();
  }

  static Map<String, String> responderCall(String from, String verstat) {
    Map<String, String> call = TwilioClient.incomingCall(sid("CA", 900), from);
    if (verstat != null) {
      call.put("StirVerstat", verstat);
    }
    return call;
  }

  private Xml press(Xml menu, String digits) {
    Map<String, String> params = responderCall(RESPONDER, ATTESTED);
    if (digits != null) {
      params.put("Digits", digits);
    }
    return Xml.parse(app.twilio.post(absolute(menu.text("/Response/Gather/@action")), params).body());
  }

  private String absolute(String action) {
    return URI.create(app.url("/call")).resolve(action.replace("&amp;", "&")).toString();
  }

  private Xml callLine(String from, String verstat) {
    return Xml.parse(app.twilio.post(app.url("/call?service_key=" + KEY), responderCall(from, verstat)).body());
  }

  @Test
  public void attestedResponder_hearsTheLastCaller_andPress1_callsThemBackFromTheLinesNumber() throws Exception {
    voicemail(app, 1, CUSTOMER);
    app.clock.advance(Duration.ofMinutes(5));

    Xml menu = callLine(RESPONDER, ATTESTED);
    assertEquals("On call line.", menu.text("/Response/Gather/Say[1]"));
    assertEquals("The last caller was 1 4 1 5 5 5 5 0 1 0 0, 5 minutes ago.", menu.text("/Response/Gather/Say[2]"));
    assertTrue(menu.text("/Response/Gather/Say[3]").startsWith("Press 1 to call them back from this line."));

    Xml dial = press(menu, "1");
    assertEquals(LINE, dial.text("/Response/Dial/@callerId"));
    assertEquals(CUSTOMER, dial.text("/Response/Dial/Number"));
    assertEquals(1, dial.count("/Response/Dial/Number"));

    app.runQueuedTasks();
    List<JSONObject> changes = app.pagerDuty.changes();
    assertEquals(1, changes.size());
    EventsApiSchema.assertValidChange(changes.get(0));
    assertEquals("a responder (" + RESPONDER + ") called back " + CUSTOMER + " from the on-call line",
        changes.get(0).getJSONObject("payload").getString("summary"));
    assertEquals(List.of("responder menu", "called back", "change event queued", "change event delivered"), app.callLog().timeline(sid("CA", 900)).stream()
        .map(TimelineEntry::step).map(s -> s.name()).toList());
  }

  @Test
  public void responderWithoutAttestation_andNoPin_getsTheCallersFlow() throws Exception {
    voicemail(app, 1, CUSTOMER);
    assertEquals(1, callLine(RESPONDER, null).count("/Response/Record"));
    assertEquals(1, callLine(RESPONDER, "TN-Validation-Passed-B").count("/Response/Record"));
  }

  @Test
  public void aNonResponder_dialingTheSameWay_getsTheCallersFlow() throws Exception {
    voicemail(app, 1, CUSTOMER);
    Xml twiml = callLine("+14155550222", ATTESTED);
    assertEquals(1, twiml.count("/Response/Record"));
    assertEquals(0, twiml.count("//Dial"));
  }

  @Test
  public void press2_playsTheCallersVoicemailThroughItsShortLink() throws Exception {
    voicemail(app, 1, CUSTOMER);
    Xml played = press(callLine(RESPONDER, ATTESTED), "2");
    String link = played.text("/Response/Play");
    assertTrue(link, link.startsWith(app.baseUrl() + "/r/"));
    assertTrue(app.shortLinkTarget(link).orElseThrow().endsWith("/Recordings/RE" + sid("CA", 1).substring(2) + ".mp3"));
    assertTrue(played.text("/Response/Redirect").contains("responder=menu"));
  }

  @Test
  public void press3_stepsToTheCallerBefore_andItsPress1_callsThatOne() throws Exception {
    voicemail(app, 1, "+14155550101");
    app.clock.advance(Duration.ofMinutes(20));
    app.twilio.post(app.url("/sms?service_key=" + KEY), TwilioClient.incomingSms(sid("SM", 2), "+14155550102", "hello"));
    app.runQueuedTasks();
    app.clock.advance(Duration.ofMinutes(1));

    Xml menu = callLine(RESPONDER, ATTESTED);
    assertEquals("The last caller was 1 4 1 5 5 5 5 0 1 0 2, 1 minutes ago.", menu.text("/Response/Gather/Say[2]"));
    Xml before = press(menu, "3");
    assertEquals("The caller before was 1 4 1 5 5 5 5 0 1 0 1, 21 minutes ago.", before.text("/Response/Gather/Say[1]"));
    assertEquals("+14155550101", press(before, "1").text("/Response/Dial/Number"));
  }

  @Test
  public void contactsOfOtherLinesAndOlderThan24Hours_areNeverOffered() throws Exception {
    voicemail(app, 1, CUSTOMER);
    Map<String, String> otherLine = TwilioClient.incomingSms(sid("SM", 2), "+14155550199", "hi");
    otherLine.put("To", "+18005550000");
    app.twilio.post(app.url("/sms?service_key=" + KEY), otherLine);
    app.runQueuedTasks();
    app.clock.advance(Duration.ofHours(24).plusMinutes(1));

    Xml menu = callLine(RESPONDER, ATTESTED);
    assertEquals("On call line. No one has called or texted this line in the last 24 hours.",
        menu.text("/Response/Gather/Say[1]"));
    // A choice naming a contact the menu did not offer dials nobody.
    String forged = menu.text("/Response/Gather/@action") + "&contact=" + sid("SM", 2);
    Map<String, String> params = responderCall(RESPONDER, ATTESTED);
    params.put("Digits", "1");
    Xml answer = Xml.parse(app.twilio.post(absolute(forged), params).body());
    assertEquals(0, answer.count("//Dial"));
  }

  @Test
  public void press9_goesOnAsACaller() throws Exception {
    voicemail(app, 1, CUSTOMER);
    Xml redirect = press(callLine(RESPONDER, ATTESTED), "9");
    String url = redirect.text("/Response/Redirect");
    assertTrue(url, url.endsWith("responder=caller"));
    Xml caller = Xml.parse(app.twilio.post(absolute(url), responderCall(RESPONDER, ATTESTED)).body());
    assertEquals(1, caller.count("/Response/Record"));
  }

  @Test
  public void silence_repeatsTheMenu_thenHangsUp() throws Exception {
    voicemail(app, 1, CUSTOMER);
    Xml menu = callLine(RESPONDER, ATTESTED);
    for (int round = 1; round < ResponderDesk.MAX_SILENT_ROUNDS; round++) {
      menu = press(menu, null);
      assertEquals(1, menu.count("/Response/Gather"));
    }
    assertEquals(1, press(menu, null).count("/Response/Hangup"));
  }
}
