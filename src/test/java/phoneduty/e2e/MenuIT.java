package phoneduty.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
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
import phoneduty.text.Text;

/** A caller walks a menu in the dev server, as Twilio drives it, and each team's voicemail pages its own service. */
public class MenuIT {

  private static final String TOKEN = "e2e-menu-token";
  private static final String API_TOKEN = "e2e-menu-api-token";
  private static final String DATABASES_KEY = "db0123456789abcdef0123456789abcd";
  private static final String NETWORK_KEY = "ne0123456789abcdef0123456789abcd";
  private static final Duration DELIVERY = Duration.ofSeconds(20);

  private static FakePagerDuty events;
  private static FakePagerDutyRestApi api;
  private static DevServer server;
  private static final TwilioClient twilio = new TwilioClient(TOKEN);

  @BeforeClass
  public static void start() throws Exception {
    events = FakePagerDuty.start();
    api = FakePagerDutyRestApi.start(API_TOKEN); // nobody on call: the network line falls back to voicemail
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

  private static String menuUrl() {
    return server.baseUrl() + "/menu?greeting=" + Text.urlEncode("Welcome.")
        + "&option1=" + Text.urlEncode("databases|/call?service_key=" + DATABASES_KEY)
        + "&option2=" + Text.urlEncode("the network|/forward?escalation_policy=PNETWRK&service_key=" + NETWORK_KEY);
  }

  /** Twilio resolves relative TwiML URLs against the URL it just requested, and signs each request. */
  private static Step post(String url, Map<String, String> params) {
    HttpResponse<String> response = twilio.post(url, params);
    assertEquals(server.log(), 200, response.statusCode());
    return new Step(url, Xml.parse(response.body()));
  }

  private record Step(String url, Xml twiml) {
    String resolve(String relative) {
      return URI.create(url).resolve(relative).toString();
    }
  }

  /** Menu, key, the option's own answer, the recording: returns the page that reached PagerDuty. */
  private static JSONObject walk(String callSid, String key) throws InterruptedException {
    Map<String, String> call = TwilioClient.incomingCall(callSid, "+14155550123");
    Step menu = post(menuUrl(), call);
    Map<String, String> pressed = TwilioClient.incomingCall(callSid, "+14155550123");
    pressed.put("Digits", key);
    Step chosen = post(menu.resolve(menu.twiml().text("/Response/Gather/@action")), pressed);
    Step option = post(chosen.resolve(chosen.twiml().text("/Response/Redirect")), call);
    assertEquals(option.twiml().toString(), 1, option.twiml().count("/Response/Record"));
    post(option.resolve(option.twiml().text("/Response/Record/@action")),
        TwilioClient.recordingDone(callSid, "+14155550123", 14));
    return events.awaitEvent(e -> callSid.equals(e.getString("dedup_key")) && e.has("links"), DELIVERY);
  }

  @Test
  public void optionOne_isTheDatabasesVoicemail_inTheDatabasesService() throws Exception {
    JSONObject page = walk("CA0000000000000000000000000000d001", "1");
    EventsApiSchema.assertValid(page);
    assertEquals(DATABASES_KEY, page.getString("routing_key"));
  }

  @Test
  public void optionTwo_isTheNetworkForwardingLine_fallingBackToVoicemail_inTheNetworkService() throws Exception {
    JSONObject page = walk("CA0000000000000000000000000000d002", "2");
    EventsApiSchema.assertValid(page);
    assertEquals(NETWORK_KEY, page.getString("routing_key"));
    assertTrue("the network line asked PagerDuty who is on call", api.count("/oncalls") >= 1);
  }
}
