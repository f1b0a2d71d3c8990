package phoneduty.sms;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.support.AppFixture;
import phoneduty.support.EventsApiSchema;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

public class SmsTest {

  @Rule public final AppFixture app = new AppFixture();

  private static final String KEY = AppFixture.SERVICE_KEY;
  private static final String SID = "SM0123456789abcdef0123456789abcdef";
  private static final String FROM = "+14155550100";

  @Test
  public void sms_opensOneIncidentWithTheSenderAndTheText() throws Exception {
    HttpResponse<String> response = app.twilio.post(app.url("/sms?service_key=" + KEY),
        TwilioClient.incomingSms(SID, FROM, "Checkout is down for everyone"));

    assertEquals(200, response.statusCode());
    Xml twiml = Xml.parse(response.body());
    assertEquals(1, twiml.count("/Response"));
    assertEquals(0, twiml.count("/Response/*"));

    assertEquals(List.of(200), app.runQueuedTasks());
    List<JSONObject> events = app.pagerDuty.events();
    assertEquals(1, events.size());
    JSONObject event = events.get(0);
    EventsApiSchema.assertValid(event);
    assertEquals(SID, event.getString("dedup_key"));
    assertEquals(KEY, event.getString("routing_key"));
    JSONObject payload = event.getJSONObject("payload");
    assertEquals("SMS from +14155550100 (US): Checkout is down for everyone", payload.getString("summary"));
    assertEquals("Checkout is down for everyone", payload.getJSONObject("custom_details").getString("body"));
    assertEquals(FROM, payload.getJSONObject("custom_details").getString("from"));
    assertEquals("phoneduty +18005551212", payload.getString("source"));
  }

  @Test
  public void sms_withGet_opensTheIncidentToo() throws Exception {
    Map<String, String> params = TwilioClient.incomingSms(SID, FROM, "disk full");
    params.put("service_key", KEY);
    HttpResponse<String> response = app.twilio.get(app.url("/sms"), params);

    assertEquals(200, response.statusCode());
    app.runQueuedTasks();
    assertEquals(1, app.pagerDuty.events().size());
  }

  @Test
  public void sms_withReply_sendsThatTextBackEscaped() {
    HttpResponse<String> response = app.twilio.post(
        app.url("/sms?service_key=" + KEY + "&reply=Paged+%3Con-call%3E+%26+logged"),
        TwilioClient.incomingSms(SID, FROM, "help"));
    Xml twiml = Xml.parse(response.body());
    assertEquals("Paged <on-call> & logged", twiml.text("/Response/Message"));
  }

  @Test
  public void sms_withMedia_listsEveryAttachment() throws Exception {
    Map<String, String> params = TwilioClient.incomingSms(SID, FROM, "");
    params.put("NumMedia", "2");
    params.put("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1");
    params.put("MediaContentType0", "image/jpeg");
    params.put("MediaUrl1", "https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME2");
    params.put("MediaContentType1", "image/png");
    app.twilio.post(app.url("/sms?service_key=" + KEY), params);
    app.runQueuedTasks();

    JSONObject event = app.pagerDuty.events().get(0);
    EventsApiSchema.assertValid(event);
    assertEquals("SMS from +14155550100 (US): (no text) [2 attachments]",
        event.getJSONObject("payload").getString("summary"));
    assertEquals(2, event.getJSONObject("payload").getJSONObject("custom_details").getJSONArray("media_urls").length());
    assertEquals(2, event.getJSONArray("links").length());
    assertEquals("Attachment 2 (image/png)", event.getJSONArray("links").getJSONObject(1).getString("text"));
  }

  @Test
  public void sms_longerThanThePagerDutySummaryLimit_keepsTheFullTextInDetails() throws Exception {
    String text = "x".repeat(1600);
    app.twilio.post(app.url("/sms?service_key=" + KEY), TwilioClient.incomingSms(SID, FROM, text));
    app.runQueuedTasks();

    JSONObject event = app.pagerDuty.events().get(0);
    EventsApiSchema.assertValid(event);
    assertEquals(1024, event.getJSONObject("payload").getString("summary").length());
    assertEquals(text, event.getJSONObject("payload").getJSONObject("custom_details").getString("body"));
  }

  @Test
  public void sms_sentTwiceByTwilio_queuesOneDelivery() throws Exception {
    Map<String, String> params = TwilioClient.incomingSms(SID, FROM, "again");
    app.twilio.post(app.url("/sms?service_key=" + KEY), params);
    app.twilio.post(app.url("/sms?service_key=" + KEY), params);
    assertEquals(1, app.queuedTasks().size());
  }

  @Test
  public void sms_sentAgainAfterItWasDelivered_isNotDeliveredTwice() throws Exception {
    Map<String, String> params = TwilioClient.incomingSms(SID, FROM, "late retry");
    app.twilio.post(app.url("/sms?service_key=" + KEY), params);
    app.runQueuedTasks();
    HttpResponse<String> retry = app.twilio.post(app.url("/sms?service_key=" + KEY), params);

    assertEquals(200, retry.statusCode());
    // The local queue has forgotten the first task's name, so the retry queues a second copy;
    // the delivery task's claim stops it.
    assertEquals(List.of(200), app.runQueuedTasks());
    assertEquals(1, app.pagerDuty.events().size());
  }

  @Test
  public void sms_withoutServiceKey_isRefusedWith400AndTheReason() {
    HttpResponse<String> response = app.twilio.post(app.url("/sms"), TwilioClient.incomingSms(SID, FROM, "hi"));
    assertEquals(400, response.statusCode());
    assertTrue(response.body(), response.body().contains("service_key is missing"));
    assertEquals(0, app.queuedTasks().size());
  }

  @Test
  public void sms_withMalformedServiceKey_isRefusedWith400() {
    HttpResponse<String> response = app.twilio.post(app.url("/sms?service_key=abc"), TwilioClient.incomingSms(SID, FROM, "hi"));
    assertEquals(400, response.statusCode());
    assertTrue(response.body(), response.body().contains("service_key is malformed"));
  }

  @Test
  public void sms_whenPagerDutyIsDown_deliversAfterRecovery() throws Exception {
    app.pagerDuty.answerNext(503, 500, 429);
    app.twilio.post(app.url("/sms?service_key=" + KEY), TwilioClient.incomingSms(SID, FROM, "db down"));

    assertEquals(List.of(503), app.runQueuedTasks());
    assertEquals(List.of(503), app.runQueuedTasks());
    assertEquals(List.of(503), app.runQueuedTasks());
    assertEquals(0, app.pagerDuty.events().size());
    assertEquals(List.of(200), app.runQueuedTasks());
    assertEquals(1, app.pagerDuty.events().size());
    assertEquals(0, app.queuedTasks().size());
  }
}
