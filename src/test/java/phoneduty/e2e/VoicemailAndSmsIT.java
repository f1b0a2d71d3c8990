package phoneduty.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.net.URI;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.json.JSONObject;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import phoneduty.support.DevServer;
import phoneduty.support.EventsApiSchema;
import phoneduty.support.FakePagerDuty;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/**
 * The deployed shape end to end: the war in App Engine's local dev server (real web.xml, filter,
 * Task Queue running queue.xml, Datastore), driven by webhooks signed as Twilio signs them, with
 * a fake PagerDuty on loopback.
 */
public class VoicemailAndSmsIT {

  private static final String TOKEN = "e2e-auth-token";
  private static final String KEY = "e2e0123456789abcdef0123456789abc";
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

  private static List<JSONObject> eventsFor(String dedupKey) {
    return pagerDuty.events().stream().filter(e -> dedupKey.equals(e.getString("dedup_key"))).collect(Collectors.toList());
  }

  @Test
  public void voicemail_reachesPagerDutyWithAShortLinkThatRedirectsToTheRecording() throws Exception {
    String callSid = "CA00000000000000000000000000000e01";
    HttpResponse<String> call = twilio.post(url("/call?service_key=" + KEY), TwilioClient.incomingCall(callSid, "+14155550101"));
    assertEquals(server.log(), 200, call.statusCode());
    Xml prompt = Xml.parse(call.body());
    assertEquals("Leave a message to contact the on call staff.", prompt.text("/Response/Say[1]"));
    String action = prompt.text("/Response/Record/@action");

    Map<String, String> recording = TwilioClient.recordingDone(callSid, "+14155550101", 17);
    HttpResponse<String> done = twilio.post(URI.create(url("/call")).resolve(action).toString(), recording);
    assertEquals(200, done.statusCode());
    assertTrue(Xml.parse(done.body()).text("/Response/Say").startsWith("Thank you."));

    JSONObject event = pagerDuty.awaitEvent(e -> callSid.equals(e.getString("dedup_key")), DELIVERY);
    EventsApiSchema.assertValid(event);
    String summary = event.getJSONObject("payload").getString("summary");
    assertTrue(summary, summary.startsWith("Voicemail from +14155550101"));
    String shortLink = event.getJSONArray("links").getJSONObject(0).getString("href");
    assertTrue(shortLink, shortLink.startsWith(server.baseUrl() + "/r/"));
    assertTrue(summary.contains(shortLink));

    HttpResponse<String> redirect = twilio.getUnsigned(shortLink);
    assertEquals(302, redirect.statusCode());
    assertEquals(recording.get("RecordingUrl") + ".mp3", redirect.headers().firstValue("Location").orElseThrow());
    assertEquals(1, eventsFor(callSid).size());
  }

  @Test
  public void sms_reachesPagerDuty() throws Exception {
    String sid = "SM00000000000000000000000000000e02";
    HttpResponse<String> response = twilio.post(url("/sms?service_key=" + KEY),
        TwilioClient.incomingSms(sid, "+14155550102", "VPN is down"));
    assertEquals(server.log(), 200, response.statusCode());
    assertEquals(0, Xml.parse(response.body()).count("/Response/*"));

    JSONObject event = pagerDuty.awaitEvent(e -> sid.equals(e.getString("dedup_key")), DELIVERY);
    EventsApiSchema.assertValid(event);
    assertEquals("SMS from +14155550102 (US): VPN is down", event.getJSONObject("payload").getString("summary"));
  }

  @Test
  public void sms_whenPagerDutyIsDown_deliversAfterRecovery() throws Exception {
    String sid = "SM00000000000000000000000000000e03";
    int attemptsBefore = pagerDuty.attempts().size();
    pagerDuty.answerNext(503, 503);
    twilio.post(url("/sms?service_key=" + KEY), TwilioClient.incomingSms(sid, "+14155550103", "retry me"));

    pagerDuty.awaitEvent(e -> sid.equals(e.getString("dedup_key")), DELIVERY);
    assertEquals(1, eventsFor(sid).size());
    assertTrue("two refused attempts, then the delivery", pagerDuty.attempts().size() - attemptsBefore >= 3);
  }

  @Test
  public void sameWebhookTwice_yieldsOneDedupKeyAndOneDelivery() throws Exception {
    String sid = "SM00000000000000000000000000000e04";
    Map<String, String> sms = TwilioClient.incomingSms(sid, "+14155550104", "twice");
    assertEquals(200, twilio.post(url("/sms?service_key=" + KEY), sms).statusCode());
    assertEquals(200, twilio.post(url("/sms?service_key=" + KEY), sms).statusCode());

    pagerDuty.awaitEvent(e -> sid.equals(e.getString("dedup_key")), DELIVERY);
    Thread.sleep(1500); // room for a second delivery, if one were queued
    assertEquals(1, eventsFor(sid).size());
  }

  @Test
  public void warmupRequest_isAnswered() throws Exception {
    assertEquals(200, server.get("/_ah/warmup").statusCode());
  }

  @Test
  public void unsignedWebhook_isRefusedAndPagesNobody() {
    HttpResponse<String> response = twilio.post(url("/sms?service_key=" + KEY),
        TwilioClient.incomingSms("SM00000000000000000000000000000e05", "+14155550105", "forged"), null);
    assertEquals(403, response.statusCode());
  }

  @Test
  public void callWithoutServiceKey_getsSpokenTwimlNotAnError() {
    HttpResponse<String> response = twilio.get(url("/call"), Map.of("CallSid", "CA00000000000000000000000000000e06"));
    assertEquals(200, response.statusCode());
    assertTrue(Xml.parse(response.body()).text("/Response/Say").contains("not configured correctly"));
    assertTrue(server.log().contains("service_key is missing"));
  }

  // ---- What the container does, on Jetty 9.4 (Maven Central dev server) and Jetty 12 (Cloud SDK) alike

  @Test
  public void taskHandler_calledFromOutside_isRefusedAndPagesNobody() throws Exception {
    String body = "{\"copy\":\"outside\",\"event\":{\"routing_key\":\"" + KEY + "\",\"event_action\":\"trigger\","
        + "\"dedup_key\":\"OUTSIDE1\",\"payload\":{\"summary\":\"forged\",\"source\":\"x\",\"severity\":\"critical\"}},"
        + "\"short_links\":[]}";
    HttpURLConnection connection = post("/tasks/pagerduty-event", "application/json", body, null);
    int status = connection.getResponseCode();
    assertTrue("status " + status, status == 302 || status == 401 || status == 403);
    // The handler delivers within the request, so an accepted call would have reached the fake by now.
    assertTrue(eventsFor("OUTSIDE1").isEmpty());
  }

  @Test
  public void malformedQuery_isRefusedWithAShortAnswer() throws Exception {
    HttpURLConnection connection = post("/forward/next?%ZZ=1", "application/x-www-form-urlencoded", "CallSid=CA1",
        "bm90IGEgc2lnbmF0dXJl");
    int status = connection.getResponseCode();
    String answer = new String(connection.getErrorStream() == null ? new byte[0]
        : connection.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("status " + status, status == 400 || status == 403);
    assertTrue(answer, answer.length() < 2000 && !answer.contains("Exception") && !answer.contains("at phoneduty."));
  }

  @Test
  public void greetingWithANulCharacter_stillAnswersWellFormedTwiml() {
    HttpResponse<String> response = twilio.post(url("/call?service_key=" + KEY + "&greeting=Hello%00World"),
        TwilioClient.incomingCall("CA00000000000000000000000000000e07", "+14155550107"));
    assertEquals(200, response.statusCode());
    assertEquals("HelloWorld", Xml.parse(response.body()).text("/Response/Say[1]"));
  }

  /** A raw POST: {@code java.net.http} refuses to send a URL that is not valid URL encoding. */
  private static HttpURLConnection post(String pathAndQuery, String contentType, String body, String signature)
      throws Exception {
    HttpURLConnection connection = (HttpURLConnection) new URL(url(pathAndQuery)).openConnection();
    connection.setRequestMethod("POST");
    connection.setInstanceFollowRedirects(false);
    connection.setDoOutput(true);
    connection.setRequestProperty("Content-Type", contentType);
    if (signature != null) {
      connection.setRequestProperty("X-Twilio-Signature", signature);
    }
    try (OutputStream out = connection.getOutputStream()) {
      out.write(body.getBytes(StandardCharsets.UTF_8));
    }
    return connection;
  }
}
