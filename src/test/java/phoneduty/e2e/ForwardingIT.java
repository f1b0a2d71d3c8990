package phoneduty.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static phoneduty.support.FakePagerDutyRestApi.phone;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.json.JSONObject;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import phoneduty.support.DevServer;
import phoneduty.support.EventsApiSchema;
import phoneduty.support.FakePagerDuty;
import phoneduty.support.FakePagerDutyRestApi;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/** The whole forwarded call in the dev server, step by step as Twilio drives it. */
public class ForwardingIT {

  private static final String TOKEN = "e2e-forward-token";
  private static final String API_TOKEN = "e2e-pd-api-token";
  private static final String KEY = "e2f0123456789abcdef0123456789abc";
  private static final String POLICY = "PEP0E2E";
  private static final Duration DELIVERY = Duration.ofSeconds(20);

  private static FakePagerDuty events;
  private static FakePagerDutyRestApi api;
  private static DevServer server;
  private static final TwilioClient twilio = new TwilioClient(TOKEN);

  @BeforeClass
  public static void start() throws Exception {
    events = FakePagerDuty.start();
    api = FakePagerDutyRestApi.start(API_TOKEN)
        .onCall(POLICY, "PSC0E21", 1, "PUE2E01", "Alice Example")
        .onCall(POLICY, "PSC0E22", 2, "PUE2E02", "Bob Example")
        .contactMethods("PUE2E01", phone(1, "4155550001"))
        .contactMethods("PUE2E02", phone(1, "4155550002"));
    server = DevServer.builder()
        .env("TWILIO_AUTH_TOKEN", TOKEN)
        .env("PAGERDUTY_EVENTS_BASE_URL", events.baseUrl().toString())
        .env("PAGERDUTY_API_TOKEN", API_TOKEN)
        .env("PAGERDUTY_API_BASE_URL", api.baseUrl().toString())
        .start();
  }

  @AfterClass
  public static void stop() {
    if (server != null) {
      server.close();
    }
    if (api != null) {
      api.close();
    }
    if (events != null) {
      events.close();
    }
  }

  /** Twilio resolves relative TwiML URLs against the URL it just requested. */
  private static String resolve(String requested, String relative) {
    return URI.create(requested).resolve(relative).toString();
  }

  private static Xml post(String url, Map<String, String> params) {
    HttpResponse<String> response = twilio.post(url, params);
    assertEquals(server.log(), 200, response.statusCode());
    return Xml.parse(response.body());
  }

  /**
   * Each test's call has a caller of its own: the tests share one dev server, and a second call
   * from one number within the repeat window would join the first's incident.
   */
  private static String caller(String callSid) {
    return "+1415555" + callSid.substring(callSid.length() - 4).replaceAll("[^0-9]", "1");
  }

  private static Map<String, String> parentLeg(String callSid, String status, boolean bridged) {
    Map<String, String> params = TwilioClient.incomingCall(callSid, caller(callSid));
    params.put("CallStatus", "in-progress");
    params.put("DialCallStatus", status);
    params.put("DialBridged", Boolean.toString(bridged));
    return params;
  }

  private static Map<String, String> responderLeg(String parentSid, String to, String digits) {
    Map<String, String> params = TwilioClient.responderLeg(parentSid, caller(parentSid), to);
    if (digits != null) {
      params.put("Digits", digits);
    }
    return params;
  }

  private static List<JSONObject> eventsFor(String dedupKey) {
    return events.events().stream().filter(e -> dedupKey.equals(e.getString("dedup_key"))).collect(Collectors.toList());
  }

  /** Rings Alice, who presses 1 and talks for 42 s; the call ends bridged. */
  private static void acceptedByAlice(String forward, String callSid) {
    Xml ring = post(forward, TwilioClient.incomingCall(callSid, caller(callSid)));
    assertEquals("+14155550001", ring.text("/Response/Dial/Number"));

    String whisperUrl = resolve(forward, ring.text("/Response/Dial/Number/@url"));
    Xml whisper = post(whisperUrl, responderLeg(callSid, "+14155550001", null));
    assertTrue(whisper.text("/Response/Gather/Say[1]").endsWith("Press 1 to accept."));

    Xml accepted = post(resolve(whisperUrl, whisper.text("/Response/Gather/@action")),
        responderLeg(callSid, "+14155550001", "1"));
    assertEquals(0, accepted.count("/Response/*"));

    Map<String, String> bridged = parentLeg(callSid, "completed", true);
    bridged.put("DialCallDuration", "42");
    Xml ended = post(resolve(forward, ring.text("/Response/Dial/@action")), bridged);
    assertEquals(1, ended.count("/Response/Hangup"));
  }

  @Test
  public void responderPressesOne_isBridged_andPagerDutyGetsAChangeEventNotAnIncident() throws Exception {
    String callSid = "CA00000000000000000000000000000f01";
    acceptedByAlice(server.baseUrl() + "/forward?escalation_policy=" + POLICY + "&service_key=" + KEY, callSid);

    JSONObject change = events.awaitChange(e -> e.getJSONObject("payload").getJSONObject("custom_details")
        .optString("call_sid").equals(callSid), DELIVERY);
    EventsApiSchema.assertValidChange(change);
    assertTrue(change.toString(), change.getJSONObject("payload").getString("summary")
        .startsWith("Alice Example took the on-call line's call from " + caller(callSid)));
    assertEquals("no incident for an answered call", List.of(), eventsFor(callSid));
  }

  @Test
  public void answeredIncident_opensTheIncidentOnArrival_andAcknowledgesIt() throws Exception {
    String callSid = "CA00000000000000000000000000000f04";
    acceptedByAlice(server.baseUrl() + "/forward?escalation_policy=" + POLICY + "&service_key=" + KEY
        + "&answered=incident", callSid);

    events.awaitEvent(e -> callSid.equals(e.getString("dedup_key")) && "acknowledge".equals(e.getString("event_action")), DELIVERY);
    events.awaitEvent(e -> callSid.equals(e.getString("dedup_key")) && "trigger".equals(e.getString("event_action")), DELIVERY);
    eventsFor(callSid).forEach(EventsApiSchema::assertValid);
  }

  @Test
  public void nobodyAnswers_bothLevelsAreRungThenVoicemailLandsInOneIncident() throws Exception {
    String callSid = "CA00000000000000000000000000000f02";
    String forward = server.baseUrl() + "/forward?escalation_policy=" + POLICY + "&service_key=" + KEY + "&ring_seconds=15";
    Xml level1 = post(forward, TwilioClient.incomingCall(callSid, caller(callSid)));
    assertEquals("+14155550001", level1.text("/Response/Dial/Number"));
    assertEquals("15", level1.text("/Response/Dial/@timeout"));

    String next1 = resolve(forward, level1.text("/Response/Dial/@action"));
    Xml level2 = post(next1, parentLeg(callSid, "no-answer", false));
    assertEquals("+14155550002", level2.text("/Response/Dial/Number"));

    String next2 = resolve(next1, level2.text("/Response/Dial/@action"));
    Xml voicemail = post(next2, parentLeg(callSid, "no-answer", false));
    assertEquals(1, voicemail.count("/Response/Record"));

    Map<String, String> recording = TwilioClient.recordingDone(callSid, caller(callSid), 25);
    Xml thanks = post(resolve(next2, voicemail.text("/Response/Record/@action")), recording);
    assertTrue(thanks.text("/Response/Say").startsWith("Thank you."));

    JSONObject voicemailEvent = events.awaitEvent(e -> callSid.equals(e.getString("dedup_key"))
        && e.has("links"), DELIVERY);
    EventsApiSchema.assertValid(voicemailEvent);
    String link = voicemailEvent.getJSONArray("links").getJSONObject(0).getString("href");
    assertEquals(302, twilio.getUnsigned(link).statusCode());

    Set<String> incidents = events.events().stream().map(e -> e.getString("dedup_key"))
        .filter(k -> k.equals(callSid)).collect(Collectors.toSet());
    assertEquals("exactly one incident", 1, incidents.size());
    assertEquals("the voicemail, no trigger on arrival", 1, eventsFor(callSid).size());
  }

  @Test
  public void pagerDutyRestFailing_sendsTheCallerToVoicemail() throws Exception {
    String callSid = "CA00000000000000000000000000000f03";
    api.answerNextOn("/oncalls", 503);
    Xml twiml = post(server.baseUrl() + "/forward?escalation_policy=PEP0E2F&service_key=" + KEY,
        TwilioClient.incomingCall(callSid, caller(callSid)));
    assertEquals(1, twiml.count("/Response/Record"));
    assertEquals(0, twiml.count("//Dial"));
    JSONObject event = events.awaitEvent(e -> callSid.equals(e.getString("dedup_key")), DELIVERY);
    assertTrue(event.toString(), event.getJSONObject("payload").getString("summary").contains("could not be forwarded"));
  }
}
