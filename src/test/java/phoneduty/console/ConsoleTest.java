package phoneduty.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.json.JSONObject;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.calllog.LineEntry;
import phoneduty.support.AppFixture;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/** The console's pages as HTML: escaping, no secrets, paging, filters, the test page and its guard. */
public class ConsoleTest {

  @Rule public final AppFixture app = new AppFixture();

  private static final String KEY = AppFixture.SERVICE_KEY;
  private static final String SCRIPT = "<script>alert(1)</script>";
  private static final String IMG = "\"><img src=x onerror=alert(1)>";
  private static final Pattern TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private String sms(int n, String body) {
    String sid = String.format("SM%032d", n);
    app.twilio.post(app.url("/sms?service_key=" + KEY), TwilioClient.incomingSms(sid, "+14155550100", body));
    try {
      app.runQueuedTasks();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return sid;
  }

  private String page(String path) throws Exception {
    HttpResponse<String> response = app.browse(path);
    assertEquals(response.body(), 200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    return response.body();
  }

  private static int rows(String html) {
    return html.split("<tr><td>", -1).length - 1;
  }

  @Test
  public void console_showsHostileSmsBodyAsText() throws Exception {
    String sid = sms(1, SCRIPT + " " + IMG);
    for (String html : List.of(page("/admin/calls"), page("/admin/calls/" + sid))) {
      assertFalse(html, html.contains("<script"));
      assertFalse(html, html.contains("<img"));
      assertTrue(html, html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
      assertTrue(html, html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    }
  }

  @Test
  public void console_showsHostileCallerNameAndGreetingAsText() throws Exception {
    Map<String, String> call = TwilioClient.incomingCall("CA0123456789abcdef0123456789abcdef", "+14155550100");
    call.put("CallerName", IMG);
    app.twilio.post(app.url("/call?service_key=" + KEY + "&greeting=" + TwilioClient.formBody(Map.of("g", SCRIPT))
        .substring(2)), call);
    app.runCallLogTasks();
    String all = page("/admin") + page("/admin/calls") + page("/admin/calls/CA0123456789abcdef0123456789abcdef");
    assertFalse(all, all.contains("<script") || all.contains("<img"));
    assertTrue(all, all.contains("&lt;script&gt;"));
  }

  @Test
  public void noPage_showsTheWholeServiceKey() throws Exception {
    String sid = sms(1, "disk full");
    app.runQueuedTasks();
    String all = page("/admin") + page("/admin/calls") + page("/admin/calls/" + sid);
    assertFalse(all.contains(KEY));
    assertFalse(all.contains(AppFixture.AUTH_TOKEN));
    assertTrue(all.contains("…CDEF"));
  }

  @Test
  public void callLog_pagesNewestFirstWithCursors() throws Exception {
    for (int i = 1; i <= CallsPage.PAGE_SIZE + 5; i++) {
      app.clock.advance(java.time.Duration.ofSeconds(1));
      sms(i, "text number " + i);
    }
    String first = page("/admin/calls");
    assertEquals(CallsPage.PAGE_SIZE, rows(first));
    assertTrue(first.indexOf("text number 30") < first.indexOf("text number 29"));
    Matcher older = Pattern.compile("href=\"(/admin/calls\\?cursor=[^\"]+)\">Older").matcher(first);
    assertTrue(first, older.find());

    String second = page(older.group(1).replace("&amp;", "&"));
    assertEquals(5, rows(second));
    assertTrue(second.contains("text number 1<") || second.contains("text number 1</td>"));
    assertFalse(second.contains("Older"));
  }

  @Test
  public void callLog_filtersByLineKindAndOutcome() throws Exception {
    app.pagerDuty.answerNext(400);
    sms(1, "a text");
    app.twilio.post(app.url("/call?service_key=" + KEY), TwilioClient.incomingCall(
        "CA0123456789abcdef0123456789abcdef", "+14155550100"));
    app.runCallLogTasks();

    assertEquals(1, rows(page("/admin/calls?kind=text")));
    assertEquals(1, rows(page("/admin/calls?kind=call")));
    assertEquals(1, rows(page("/admin/calls?outcome=failed")));
    assertEquals(0, rows(page("/admin/calls?outcome=delivered")));
    LineEntry voicemailLine = app.callLog().lines().stream().filter(l -> l.endpoint().equals("/call")).findFirst()
        .orElseThrow();
    String byLine = page("/admin/calls?line=" + voicemailLine.id());
    assertEquals(1, rows(byLine));
    assertTrue(byLine.contains("<option value=\"" + voicemailLine.id() + "\" selected>"));
    assertEquals(1, rows(page("/admin/calls?line=" + voicemailLine.id() + "&kind=call&outcome=none")));
  }

  @Test
  public void badFiltersAndUnknownCalls_areRefusedWithAReason() throws Exception {
    HttpResponse<String> kind = app.browse("/admin/calls?kind=fax");
    assertEquals(400, kind.statusCode());
    assertTrue(kind.body().startsWith("Unknown kind"));
    assertEquals(400, app.browse("/admin/calls?cursor=not-a-cursor").statusCode());
    assertEquals(404, app.browse("/admin/calls/CA00000000000000000000000000000404").statusCode());
    assertEquals(404, app.browse("/admin/nothing-here").statusCode());
  }

  @Test
  public void callPage_showsTheTimelineTheRecordingLinkAndTheDeliveryHistory() throws Exception {
    String sid = "CA0123456789abcdef0123456789abcdef";
    String action = Xml.parse(app.twilio.post(app.url("/call?service_key=" + KEY),
        TwilioClient.incomingCall(sid, "+14155550100")).body()).text("/Response/Record/@action");
    app.twilio.post(URI.create(app.url("/call")).resolve(action).toString(),
        TwilioClient.recordingDone(sid, "+14155550100", 9));
    app.pagerDuty.answerNext(503);
    app.runQueuedTasks();
    app.runQueuedTasks();

    String html = page("/admin/calls/" + sid);
    String link = app.callLog().timeline(sid).get(1).step().link().orElseThrow();
    assertTrue(html, html.contains("<a id=\"recording\" href=\"" + link + "\">"));
    assertTrue(html, html.contains("greeting played") && html.contains("voicemail left"));
    int deliveries = html.indexOf("id=\"deliveries\"");
    assertTrue(html.indexOf("page retrying", deliveries) > 0 && html.indexOf("HTTP 503", deliveries) > 0);
    assertTrue(html.indexOf("page delivered", deliveries) > 0);
    assertTrue(html.contains("<span class=\"status-delivered\">delivered</span>"));
  }

  @Test
  public void dashboard_listsEachLineWithItsCounts_andTheRosterItsCallsRing() throws Exception {
    sms(1, "one");
    app.clock.advance(java.time.Duration.ofDays(2));
    sms(2, "two");
    app.twilio.post(app.url("/forward?escalation_policy=PABC123&service_key=" + KEY),
        TwilioClient.incomingCall("CA0123456789abcdef0123456789abcdef", "+14155550100"));
    app.runQueuedTasks();

    String html = page("/admin");
    assertTrue(html, html.contains("<tr><th>last 24 h</th><td>0</td><td>1</td><td>0</td></tr>"));
    assertTrue(html, html.contains("<tr><th>last 7 days</th><td>0</td><td>2</td><td>0</td></tr>"));
    assertTrue(html, html.contains("escalation_policy PABC123"));
    assertTrue("the roster the call rang, as phoneduty holds it: " + html,
        html.contains("PagerDuty lists nobody on call for escalation policy PABC123"));
    assertTrue(html.contains("<meta name=\"viewport\""));
  }

  @Test
  public void testPage_withTokenFromThisSite_queuesAMarkedEventThatPagerDutyAccepts() throws Exception {
    sms(1, "hello");
    app.runQueuedTasks();
    String dashboard = page("/admin");
    Matcher form = Pattern.compile("action=\"(/admin/lines/[0-9a-f]+/test)\"").matcher(dashboard);
    Matcher token = TOKEN.matcher(dashboard);
    assertTrue(form.find() && token.find());

    HttpResponse<String> sent = app.submit(form.group(1), Map.of("csrf", token.group(1)),
        "Origin", app.baseUrl(), "Sec-Fetch-Site", "same-origin");
    assertEquals(sent.body(), 303, sent.statusCode());
    String location = sent.headers().firstValue("Location").orElseThrow();
    assertTrue(location, location.startsWith("/admin/calls/TEST"));
    assertTrue(page(location).contains("queued"));

    assertEquals(List.of(200), app.runQueuedTasks());
    JSONObject event = app.pagerDuty.events().get(1);
    assertTrue(event.getJSONObject("payload").getString("summary").startsWith("TEST: "));
    assertEquals(KEY, event.getString("routing_key"));
    String result = page(location);
    assertTrue(result, result.contains("PagerDuty accepted the test page."));
    assertTrue(page("/admin").contains("<tr><th>last 24 h</th><td>0</td><td>1</td><td>1</td></tr>"));
  }

  @Test
  public void testPage_withoutToken_isRefusedWith403AndAReason() throws Exception {
    String line = lineWithAText();
    HttpResponse<String> refused = app.submit("/admin/lines/" + line + "/test", Map.of(),
        "Origin", app.baseUrl(), "Sec-Fetch-Site", "same-origin");
    assertEquals(403, refused.statusCode());
    assertTrue(refused.body(), refused.body().contains("token is missing"));
    assertEquals(0, app.queuedTasks().size());
  }

  @Test
  public void testPage_fromAnotherSite_isRefusedEvenWithAToken() throws Exception {
    String line = lineWithAText();
    String token = tokenFromDashboard();
    HttpResponse<String> otherOrigin = app.submit("/admin/lines/" + line + "/test", Map.of("csrf", token),
        "Origin", "https://evil.example");
    assertEquals(403, otherOrigin.statusCode());
    assertTrue(otherOrigin.body().contains("Origin is another site"));
    HttpResponse<String> crossSite = app.submit("/admin/lines/" + line + "/test", Map.of("csrf", token),
        "Sec-Fetch-Site", "cross-site");
    assertEquals(403, crossSite.statusCode());
    HttpResponse<String> noHeaders = app.submit("/admin/lines/" + line + "/test", Map.of("csrf", token));
    assertEquals(403, noHeaders.statusCode());
    assertEquals(0, app.queuedTasks().size());
  }

  @Test
  public void testPage_forAnUnknownLine_is404() throws Exception {
    lineWithAText();
    HttpResponse<String> response = app.submit("/admin/lines/0000000000000000/test",
        Map.of("csrf", tokenFromDashboard()), "Origin", app.baseUrl());
    assertEquals(404, response.statusCode());
  }

  private String lineWithAText() throws Exception {
    sms(1, "hello");
    app.runQueuedTasks();
    return app.callLog().lines().get(0).id();
  }

  private String tokenFromDashboard() throws Exception {
    Matcher token = TOKEN.matcher(page("/admin"));
    assertTrue(token.find());
    return token.group(1);
  }
}
