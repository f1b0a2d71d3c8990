package phoneduty;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;
import static phoneduty.support.FakePagerDutyRestApi.phone;

import com.google.appengine.api.taskqueue.dev.QueueStateInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.support.AppFixture;
import phoneduty.support.EventsApiSchema;
import phoneduty.support.FakePagerDuty;
import phoneduty.support.TwilioClient;
import phoneduty.support.TwilioSigner;
import phoneduty.support.Xml;

/**
 * The app attacked as an outsider would attack it (issue 9, "Defects to fix on the way"). Only
 * HTTP and the fakes are used: what Twilio gets back, what reaches PagerDuty, what is logged.
 */
public class HostileInputTest {

  @Rule public final AppFixture app = new AppFixture();

  private static final String KEY = AppFixture.SERVICE_KEY;
  private static final String CALL_SID = "CA0123456789abcdef0123456789abcdef";
  private static final String SMS_SID = "SM0123456789abcdef0123456789abcdef";
  private static final String CALLER = "+14155550100";
  private static final String POLICY = "PEP0001";

  /** What XML 1.0 cannot carry, in the middle of a text: NUL, SOH, VT, the non-character U+FFFE. */
  private static final List<String> NOT_XML = List.of("\u0000", "\u0001", "\u000b", "\ufffe");

  private static final Pattern TWILIO_RECORDING_MP3 = Pattern.compile(
      "https://api\\.twilio\\.com/2010-04-01/Accounts/AC[0-9a-f]{32}/Recordings/RE[0-9a-f]{32}\\.mp3");
  private static final Pattern SHORT_LINK_CODE = Pattern.compile("/r/([A-Za-z0-9]+)");
  private static final Pattern FORGED_LINE = Pattern.compile("(?s).*[\\r\\n\\u0085\\u2028\\u2029]\\s*SEVERE: FORGED.*");

  private final HttpClient http = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();

  // ---- 1. Broken TwiML from control characters ----------------------------------------------------

  @Test
  public void call_withControlCharactersInGreeting_answersWellFormedTwiml() {
    assertEachDroppedFromTwiml("/call?service_key=" + KEY + "&greeting=", TwilioClient.incomingCall(CALL_SID, CALLER),
        "/Response/Say[1]");
  }

  @Test
  public void forward_withControlCharactersInGreetings_answersWellFormedTwiml() {
    app.pagerDutyApi.onCall(POLICY, "PSC0001", 1, "PU00001", "Alice Example")
        .contactMethods("PU00001", phone(1, "4155550001"));
    List<String> failures = new ArrayList<>();
    for (String bad : NOT_XML) {
      String text = encode("Hello" + bad + "World");
      // The hold greeting, said before the responder is rung.
      check(failures, "greeting " + escape(bad), app.twilio.post(
          app.url("/forward?escalation_policy=" + POLICY + "&service_key=" + KEY + "&greeting=" + text),
          TwilioClient.incomingCall(CALL_SID, CALLER)),
          twiml -> twiml.count("/Response/Say[.='HelloWorld']") == 1 ? null
              : "said '" + escape(twiml.text("/Response/Say")) + "'");
      // The voicemail greeting, said when nobody is on call.
      check(failures, "voicemail_greeting " + escape(bad), app.twilio.post(
          app.url("/forward?escalation_policy=PEMPTY1&service_key=" + KEY + "&voicemail_greeting=" + text),
          TwilioClient.incomingCall(CALL_SID, CALLER)),
          twiml -> twiml.count("/Response/Say[.='HelloWorld']") == 1 && twiml.count("/Response/Record") == 1 ? null
              : "no voicemail greeting 'HelloWorld'");
    }
    assertEquals(List.of(), failures);
  }

  @Test
  public void sms_withControlCharactersInReply_answersWellFormedTwiml() {
    assertEachDroppedFromTwiml("/sms?service_key=" + KEY + "&reply=", TwilioClient.incomingSms(SMS_SID, CALLER, "help"),
        "/Response/Message");
  }

  /** Each of {@link #NOT_XML} inside "HelloWorld", appended to the URL: well-formed TwiML reading "HelloWorld". */
  private void assertEachDroppedFromTwiml(String urlEndingInParameter, Map<String, String> params, String xpath) {
    List<String> failures = new ArrayList<>();
    for (String bad : NOT_XML) {
      HttpResponse<String> response = app.twilio.post(
          app.url(urlEndingInParameter + encode("Hello" + bad + "World")), params);
      check(failures, bad, response, twiml -> {
        String text = twiml.text(xpath);
        return text.equals("HelloWorld") ? null : "read '" + escape(text) + "'";
      });
    }
    assertEquals(List.of(), failures);
  }

  @Test
  public void whisper_withControlCharactersInCaller_answersWellFormedTwiml() {
    List<String> failures = new ArrayList<>();
    for (String bad : NOT_XML) {
      // spell() reads out digits; a caller without any (an anonymous or alphanumeric sender) goes as it is.
      String url = "/forward/whisper?escalation_policy=" + POLICY + "&service_key=" + KEY
          + "&ring_seconds=20&level=0&number=0&call=" + CALL_SID
          + "&caller=" + encode("Anonymous" + bad + "Caller") + "&line=" + encode("+18005551212");
      check(failures, bad, app.twilio.post(app.url(url), responderLeg("+14155550001")),
          twiml -> twiml.count("/Response/Gather") == 1 ? null : "no Gather");
    }
    assertEquals(List.of(), failures);
  }

  // ---- 2. 500 with a stack trace before the signature check --------------------------------------

  @Test
  public void forwardNext_unsignedWithMalformedQuery_isRefusedShortlyWithOneLogLine() throws Exception {
    try (RootLog log = new RootLog()) {
      HttpURLConnection connection = (HttpURLConnection) new URL(app.url("/forward/next?%ZZ=1")).openConnection();
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
      connection.setRequestProperty("X-Twilio-Signature", "bm90IGEgc2lnbmF0dXJl");
      try (OutputStream out = connection.getOutputStream()) {
        out.write("CallSid=CA1".getBytes(StandardCharsets.UTF_8));
      }
      int status = connection.getResponseCode();
      InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);

      List<String> problems = new ArrayList<>();
      if (status != 403 && status != 400) {
        problems.add("status " + status);
      }
      if (body.length() >= 200 || body.contains("at phoneduty.") || body.contains("Exception")) {
        problems.add("body of " + body.length() + " chars: " + escape(body.substring(0, Math.min(200, body.length()))));
      }
      if (log.lines() > 1) {
        problems.add(log.lines() + " log lines: " + log.dump());
      }
      assertEquals(List.of(), problems);
    }
  }

  // ---- 3. Repeated body parameters ---------------------------------------------------------------

  @Test
  public void forward_withPolicyAppendedToACapturedRequest_neverRingsTheOtherTeam() {
    twoTeams();
    String url = app.url("/forward?escalation_policy=PONE111&service_key=" + KEY);
    Map<String, String> params = TwilioClient.incomingCall(CALL_SID, CALLER);
    String captured = new TwilioSigner(AppFixture.AUTH_TOKEN).sign(url, params);

    HttpResponse<String> response =
        postForm(url, TwilioClient.formBody(params) + "&escalation_policy=POTHER1", captured);

    assertOtherTeamNeverRung(response);
  }

  @Test
  public void forward_withPolicyRepeatedInASignedBody_usesNoUnsignedValue() {
    twoTeams();
    // A request Twilio signed whose body carries escalation_policy once (as a Studio flow or a
    // <Redirect> can post); the forger appends a second value, which the signature does not cover.
    String url = app.url("/forward?service_key=" + KEY);
    Map<String, String> signedParams = TwilioClient.incomingCall(CALL_SID, CALLER);
    signedParams.put("escalation_policy", "PONE111");
    String captured = new TwilioSigner(AppFixture.AUTH_TOKEN).sign(url, signedParams);

    HttpResponse<String> response =
        postForm(url, TwilioClient.formBody(signedParams) + "&escalation_policy=POTHER1", captured);

    assertOtherTeamNeverRung(response);
  }

  private void twoTeams() {
    app.pagerDutyApi
        .onCall("PONE111", "PSC0001", 1, "PU00101", "Our Responder")
        .onCall("POTHER1", "PSC0002", 1, "PU00102", "Other Team")
        .contactMethods("PU00101", phone(1, "4155550101"))
        .contactMethods("PU00102", phone(1, "4155550102"));
  }

  private void assertOtherTeamNeverRung(HttpResponse<String> response) {
    List<String> asked = new ArrayList<>();
    app.pagerDutyApi.requests().forEach(request -> asked.addAll(request.parameter("escalation_policy_ids[]")));
    assertFalse("the REST API was asked for the other team: " + asked + "; answer " + response.statusCode()
        + ": " + response.body(), asked.contains("POTHER1"));
    if (response.statusCode() == 200) {
      Xml twiml = Xml.parse(response.body());
      assertEquals(response.body(), 0, twiml.count("//Dial/Number[.='+14155550102']"));
    } else {
      assertTrue("refused: " + response.statusCode(), response.statusCode() / 100 == 4);
    }
  }

  // ---- 4. Short links to any host ----------------------------------------------------------------

  @Test
  public void recording_withUrlWhoseHostIsAfterTheAt_pagesWithoutALinkThere() throws Exception {
    assertPagedWithoutForeignLink("https://api.twilio.com@evil.example/x", "evil.example");
  }

  @Test
  public void recording_withUrlToTheMetadataAddress_pagesWithoutALinkThere() throws Exception {
    assertPagedWithoutForeignLink("http://169.254.169.254/latest", "169.254.169.254");
  }

  @Test
  public void recording_withQueryOrFragment_pagesWithoutABrokenLink() throws Exception {
    assertPagedWithoutForeignLink(twilioRecordingUrl() + "?Download=true#https://evil.example/", "evil.example");
  }

  @Test
  public void recording_withTwilioUrl_stillGetsAShortLinkToTheMp3() throws Exception {
    String recording = twilioRecordingUrl();
    JSONObject event = recordAndDeliver(recording);
    List<String> targets = new ArrayList<>();
    for (String code : shortLinkCodes(event.toString())) {
      redirect(code).ifPresent(targets::add);
    }
    assertEquals(List.of(recording + ".mp3"), targets);
  }

  @Test
  public void deliveryTask_withShortLinkToTheMetadataAddress_createsNoSuchRedirect() throws Exception {
    String recording = twilioRecordingUrl();
    app.twilio.post(app.url("/record?service_key=" + KEY), recordingDone(recording));
    List<QueueStateInfo.TaskStateInfo> tasks = app.queuedTasks();
    assertEquals(1, tasks.size());
    QueueStateInfo.TaskStateInfo task = tasks.get(0);
    String body = new String(task.getBodyAsBytes(), StandardCharsets.UTF_8);
    assumeTrue("the task body carries the link's target", body.contains(recording + ".mp3"));
    String tampered = body.replace(recording + ".mp3", "http://169.254.169.254/latest/meta-data/");

    http.send(HttpRequest.newBuilder(URI.create(app.url(task.getUrl())))
            .header("X-AppEngine-QueueName", "pagerduty-events")
            .header("X-AppEngine-TaskName", task.getTaskName() + "-tampered")
            .header("X-AppEngine-TaskRetryCount", "0")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(tampered))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    Set<String> codes = new LinkedHashSet<>(shortLinkCodes(tampered));
    app.pagerDuty.events().forEach(event -> codes.addAll(shortLinkCodes(event.toString())));
    assertFalse("no short link code to check", codes.isEmpty());
    for (String code : codes) {
      redirect(code).ifPresent(target -> assertFalse("/r/" + code + " redirects to " + target,
          target.contains("169.254.169.254")));
    }
  }

  private void assertPagedWithoutForeignLink(String recordingUrl, String foreignHost) throws Exception {
    JSONObject event = recordAndDeliver(recordingUrl);
    EventsApiSchema.assertValid(event);
    List<String> problems = new ArrayList<>();
    for (String code : shortLinkCodes(event.toString())) {
      redirect(code).filter(target -> !TWILIO_RECORDING_MP3.matcher(target).matches())
          .ifPresent(target -> problems.add("/r/" + code + " redirects to " + target));
    }
    JSONArray links = event.optJSONArray("links");
    for (int i = 0; links != null && i < links.length(); i++) {
      String href = links.getJSONObject(i).getString("href");
      if (!href.startsWith(app.baseUrl() + "/r/") && !TWILIO_RECORDING_MP3.matcher(href).matches()) {
        problems.add("link to " + href);
      }
    }
    JSONObject details = event.getJSONObject("payload").optJSONObject("custom_details");
    for (String name : details == null ? Set.<String>of() : details.keySet()) {
      String value = String.valueOf(details.get(name));
      if (value.matches("(?i)https?://.*") && !value.startsWith(app.baseUrl() + "/r/")
          && !TWILIO_RECORDING_MP3.matcher(value).matches()) {
        problems.add("custom detail " + name + ": " + value);
      }
    }
    if (event.toString().contains(foreignHost)) {
      problems.add("the event names " + foreignHost + ": " + event);
    }
    assertEquals(List.of(), problems);
  }

  /** A signed recording action with this RecordingUrl, its task run: the event that reached PagerDuty. */
  private JSONObject recordAndDeliver(String recordingUrl) throws Exception {
    HttpResponse<String> response = app.twilio.post(app.url("/record?service_key=" + KEY), recordingDone(recordingUrl));
    assertEquals(200, response.statusCode());
    app.runQueuedTasks();
    return app.pagerDuty.events().stream().filter(event -> event.getString("dedup_key").equals(CALL_SID))
        .findFirst().orElseThrow(() -> new AssertionError("no page for the voicemail; attempts: " + app.pagerDuty.attempts()));
  }

  private static Map<String, String> recordingDone(String recordingUrl) {
    Map<String, String> params = TwilioClient.recordingDone(CALL_SID, CALLER, 42);
    params.put("RecordingUrl", recordingUrl);
    return params;
  }

  private static String twilioRecordingUrl() {
    return TwilioClient.recordingDone(CALL_SID, CALLER, 42).get("RecordingUrl");
  }

  private static List<String> shortLinkCodes(String text) {
    List<String> codes = new ArrayList<>();
    Matcher matcher = SHORT_LINK_CODE.matcher(text);
    while (matcher.find()) {
      if (!codes.contains(matcher.group(1))) {
        codes.add(matcher.group(1));
      }
    }
    return codes;
  }

  /** Where {@code /r/CODE} redirects, fetched as a browser would (without following it). */
  private Optional<String> redirect(String code) {
    HttpResponse<String> response = app.twilio.getUnsigned(app.url("/r/" + code));
    return response.statusCode() / 100 == 3 ? response.headers().firstValue("Location") : Optional.empty();
  }

  // ---- 5. Forged log lines -----------------------------------------------------------------------

  @Test
  public void logs_withLineBreaksInCallerOrText_forgeNoLogLine() throws Exception {
    app.pagerDutyApi.onCall(POLICY, "PSC0001", 1, "PU00001", "Alice Example")
        .contactMethods("PU00001", phone(1, "4155550001"));
    String forgedFrom = CALLER + "\nSEVERE: FORGED from";
    try (RootLog log = new RootLog()) {
      Map<String, String> call = TwilioClient.incomingCall(CALL_SID, forgedFrom);
      call.put("CallerName", "Mallory\r\nSEVERE: FORGED caller name");
      app.twilio.post(app.url("/call"), call);
      app.twilio.post(app.url("/call?service_key=not-a-key"), call);
      app.twilio.post(app.url("/call?service_key=" + KEY), call);
      app.twilio.post(app.url("/forward?escalation_policy=PEMPTY1&service_key=" + KEY), call);
      app.twilio.post(app.url("/forward?escalation_policy=" + POLICY + "&service_key=" + KEY), call);
      app.twilio.post(app.url("/record?service_key=" + KEY), TwilioClient.recordingDone(CALL_SID, forgedFrom, 5));

      Map<String, String> sms = TwilioClient.incomingSms(SMS_SID, forgedFrom, "hi\nSEVERE: FORGED body");
      app.twilio.post(app.url("/sms"), sms);
      app.twilio.post(app.url("/sms?service_key=" + KEY), sms);
      sms.remove("MessageSid");
      sms.remove("SmsSid");
      sms.remove("SmsMessageSid");
      app.twilio.post(app.url("/sms?service_key=" + KEY), sms);
      app.runQueuedTasks();

      List<String> forged = new ArrayList<>();
      for (String message : log.messages()) {
        if (FORGED_LINE.matcher(message).matches()) {
          forged.add(escape(message));
        }
      }
      assertEquals(List.of(), forged);
    }
  }

  @Test
  public void logs_withAMegabyteSmsBody_areCutShort() throws Exception {
    String megabyte = "x".repeat(1_000_000);
    try (RootLog log = new RootLog()) {
      app.twilio.post(app.url("/sms"), TwilioClient.incomingSms(SMS_SID, CALLER, megabyte));
      Map<String, String> noSid = TwilioClient.incomingSms(SMS_SID, CALLER, megabyte);
      noSid.remove("MessageSid");
      noSid.remove("SmsSid");
      noSid.remove("SmsMessageSid");
      app.twilio.post(app.url("/sms?service_key=" + KEY), noSid);
      app.twilio.post(app.url("/sms?service_key=" + KEY), TwilioClient.incomingSms(SMS_SID, CALLER, megabyte));
      app.runQueuedTasks();

      List<String> tooLong = new ArrayList<>();
      for (String message : log.messages()) {
        if (message.length() > 2_000) {
          tooLong.add(message.length() + " chars: " + message.substring(0, 120) + "…");
        }
      }
      assertEquals(List.of(), tooLong);
    }
  }

  // ---- 6. A dropped call -------------------------------------------------------------------------

  @Test
  public void forwardNext_atTheLargestNumberIndex_ringsOnOrTakesAVoicemail() {
    app.pagerDutyApi.aliceThenBob(POLICY);
    List<String> failures = new ArrayList<>();
    int max = Integer.MAX_VALUE;
    for (int[] at : new int[][] {{0, max}, {1, max}, {max, max}, {max, 0}}) {
      String url = "/forward/next?escalation_policy=" + POLICY + "&service_key=" + KEY
          + "&ring_seconds=20&level=" + at[0] + "&number=" + at[1];
      HttpResponse<String> response = app.twilio.post(app.url(url), dialEnded("no-answer"));
      Xml twiml = Xml.parse(response.body());
      String said = twiml.text("/Response/Say");
      if (response.statusCode() != 200 || said.contains("technical problem")
          || twiml.count("//Dial") + twiml.count("//Record") == 0) {
        failures.add("level=" + at[0] + "&number=" + at[1] + ": " + response.statusCode() + " " + response.body());
      }
    }
    assertEquals(List.of(), failures);
  }

  // ---- 7. Oversized events -----------------------------------------------------------------------

  @Test
  public void sms_whoseEventWouldExceedPagerDutysLimit_isStillDelivered() throws Exception {
    String text = "x".repeat(600_000);
    HttpResponse<String> response =
        app.twilio.post(app.url("/sms?service_key=" + KEY), TwilioClient.incomingSms(SMS_SID, CALLER, text));
    app.runQueuedTasks();

    JSONObject event = delivered(SMS_SID, response);
    EventsApiSchema.assertValid(event);
    assertTrue(event.toString().getBytes(StandardCharsets.UTF_8).length <= FakePagerDuty.MAX_EVENT_BYTES);
    assertEquals(200, response.statusCode());
  }

  @Test
  public void voicemail_whoseCallerDetailsTogetherExceedPagerDutysLimit_isStillDelivered() throws Exception {
    // No single detail is over the limit; together they are.
    Map<String, String> params = TwilioClient.recordingDone(CALL_SID, CALLER, 42);
    params.put("CallerName", "N".repeat(300_000));
    params.put("FromCity", "C".repeat(300_000));
    HttpResponse<String> response = app.twilio.post(app.url("/record?service_key=" + KEY), params);
    app.runQueuedTasks();

    JSONObject event = delivered(CALL_SID, response);
    EventsApiSchema.assertValid(event);
    assertTrue(event.getJSONObject("payload").getString("summary").startsWith("Voicemail from " + CALLER));
    assertEquals(200, response.statusCode());
    assertTrue(Xml.parse(response.body()).text("/Response/Say").startsWith("Thank you."));
  }

  private JSONObject delivered(String dedupKey, HttpResponse<String> webhook) {
    List<Integer> sizes = new ArrayList<>();
    app.pagerDuty.attempts().forEach(body -> sizes.add(body.getBytes(StandardCharsets.UTF_8).length));
    return app.pagerDuty.events().stream().filter(event -> event.getString("dedup_key").equals(dedupKey))
        .findFirst().orElseThrow(() -> new AssertionError(
            "PagerDuty took no event for " + dedupKey + "; bodies posted (bytes): " + sizes
                + "; the webhook answered " + webhook.statusCode() + " " + escape(webhook.body())));
  }

  // ---- 8. Premium numbers ------------------------------------------------------------------------

  @Test
  public void forward_toAPremiumRateNumber_neverDialsIt() {
    List<String> dialled = dialledWithLevelOneAt(phone(1, "9005550000"));
    assertFalse("dialled " + dialled, dialled.contains("+19005550000"));
  }

  @Test
  public void forward_toASatelliteNumber_neverDialsIt() {
    List<String> dialled = dialledWithLevelOneAt(phone(881, "631234567"));
    assertTrue("dialled " + dialled, dialled.stream().noneMatch(number -> number.startsWith("+8816")));
  }

  /** Every number rung when level 1's only phone is this contact method and Bob (+14155550002) is level 2. */
  private List<String> dialledWithLevelOneAt(JSONObject contactMethod) {
    app.pagerDutyApi
        .onCall("PPREM01", "PSC0001", 1, "PU00091", "Level One Example")
        .onCall("PPREM01", "PSC0002", 2, "PU00092", "Bob Example")
        .contactMethods("PU00091", contactMethod)
        .contactMethods("PU00092", phone(1, "4155550002"));
    return dialledNumbers("/forward?escalation_policy=PPREM01&service_key=" + KEY);
  }

  /** Every number rung for one call when nobody answers, following the Dial actions to the end. */
  private List<String> dialledNumbers(String forwardUrl) {
    List<String> dialled = new ArrayList<>();
    HttpResponse<String> response = app.twilio.post(app.url(forwardUrl), TwilioClient.incomingCall(CALL_SID, CALLER));
    for (int step = 0; step < 8; step++) {
      assertEquals(response.body(), 200, response.statusCode());
      Xml twiml = Xml.parse(response.body());
      if (twiml.count("/Response/Dial") == 0) {
        break;
      }
      for (int i = 1; i <= twiml.count("/Response/Dial/Number"); i++) {
        dialled.add(twiml.text("/Response/Dial/Number[" + i + "]"));
      }
      String next = URI.create("http://x/forward").resolve(twiml.text("/Response/Dial/@action")).toString()
          .substring("http://x".length());
      response = app.twilio.post(app.url(next), dialEnded("no-answer"));
    }
    return dialled;
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private interface TwimlCheck {
    /** Null when the document is as expected, else what is wrong. */
    String problem(Xml twiml);
  }

  private static void check(List<String> failures, String what, HttpResponse<String> response, TwimlCheck check) {
    String label = escape(what) + ": ";
    if (response.statusCode() != 200) {
      failures.add(label + "status " + response.statusCode());
      return;
    }
    Xml twiml;
    try {
      twiml = Xml.parse(response.body());
    } catch (AssertionError e) {
      failures.add(label + "not well-formed: " + escape(response.body()));
      return;
    }
    String problem = check.problem(twiml);
    if (problem != null) {
      failures.add(label + problem);
    }
  }

  private static Map<String, String> dialEnded(String status) {
    Map<String, String> params = TwilioClient.incomingCall(CALL_SID, CALLER);
    params.put("CallStatus", "in-progress");
    params.put("DialCallStatus", status);
    params.put("DialBridged", "false");
    return params;
  }

  private static Map<String, String> responderLeg(String to) {
    return TwilioClient.responderLeg(CALL_SID, CALLER, to);
  }

  /** A form POST with exactly this body and signature, as a forger replays a captured request. */
  private HttpResponse<String> postForm(String url, String body, String signature) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(30))
              .header("User-Agent", "TwilioProxy/1.1")
              .header("X-Twilio-Signature", signature)
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** Control characters and line breaks made visible, for failure messages. */
  private static String escape(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().forEach(c -> {
      if (c < 0x20 || c == 0xfffe || c == 0x7f) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.length() > 400 ? out.substring(0, 400) + "…" : out.toString();
  }

  /** Every record any logger publishes while open (the root logger's view). */
  private static final class RootLog extends Handler implements AutoCloseable {
    private final Logger root = Logger.getLogger("");
    private final List<LogRecord> records = new ArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    RootLog() {
      root.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
      records.add(record);
    }

    synchronized List<String> messages() {
      List<String> messages = new ArrayList<>();
      records.forEach(record -> messages.add(formatter.formatMessage(record)));
      return messages;
    }

    /** Lines the records make in a log: their messages' lines and any stack trace's. */
    synchronized int lines() {
      int lines = 0;
      for (LogRecord record : records) {
        lines += formatter.formatMessage(record).split("\\R", -1).length;
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
          lines += 1 + t.getStackTrace().length;
        }
      }
      return lines;
    }

    synchronized String dump() {
      StringBuilder text = new StringBuilder();
      records.forEach(record -> text.append(record.getLevel()).append(' ').append(record.getLoggerName())
          .append(": ").append(escape(formatter.formatMessage(record)))
          .append(record.getThrown() == null ? "" : " [" + record.getThrown() + "]").append('\n'));
      return text.toString();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      root.removeHandler(this);
    }
  }
}
