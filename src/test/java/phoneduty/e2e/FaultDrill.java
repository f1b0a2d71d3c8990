package phoneduty.e2e;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.json.JSONObject;
import phoneduty.support.DevServer;
import phoneduty.support.FakePagerDuty;
import phoneduty.support.FakePagerDutyRestApi;
import phoneduty.support.TwilioClient;

/**
 * The fault drill: the app in the local dev server, a fake PagerDuty (Events API v2 and REST API
 * v2) on loopback, and scripted faults while signed Twilio webhooks stream in. Each scenario ends
 * with a verdict line and its counts; the drill fails (so {@code mvn} exits non-zero) if any page
 * was lost or doubled, any webhook was not answered 200, or any forwarded caller missed voicemail.
 *
 * <p>The scenarios are the same at every size; {@link Sizes} says how long and how many. {@link
 * FaultDrillIT} runs the short drill in every {@code mvn verify} (a 4 s outage, a handful of
 * webhooks per scenario, timeouts shortened); the tool {@code phoneduty.tools.FullFaultDrill} runs
 * the full one (a 60 s outage, more webhooks, the app's default timeouts).
 *
 * <h2>Counting</h2>
 *
 * An incident is a dedup_key: PagerDuty opens one alert per dedup_key and folds later events with
 * that key into it. One webhook (CallSid or MessageSid) must give one incident. Events are counted
 * per (dedup_key, kind), where kind is {@code event_action/payload.component}, because one call can
 * legitimately send several events under its one dedup_key: a forwarded call sends {@code
 * trigger/forwarding} when it arrives and, if it ends in voicemail, {@code trigger/voicemail}
 * (or {@code acknowledge} when someone accepts). Each expected (dedup_key, kind) must be accepted
 * by PagerDuty exactly once: none is <em>lost</em>; each one beyond the first, or any event of a
 * kind or key not expected, is a <em>duplicate</em>.
 */
public final class FaultDrill implements AutoCloseable {

  /**
   * How long and how many, scenario by scenario.
   *
   * @param mode the name in the drill's output ({@code short}, {@code full})
   * @param appSettings settings of the app beyond the fakes' addresses (e.g. shorter timeouts)
   * @param outage how long PagerDuty refuses connections
   * @param outageWebhooks voicemails and texts sent during the outage, evenly spread
   * @param outageWait how long the outage's events may take to arrive once PagerDuty is back
   * @param throttledWebhooks texts and voicemails sent while PagerDuty answers 429
   * @param throttledWait how long their events may take to arrive
   * @param hangingWebhooks webhooks whose first delivery PagerDuty holds open
   * @param hang how long PagerDuty holds each of them (past the Events read timeout)
   * @param hangingWait how long their events may take to arrive
   * @param twiceEach calls and texts of which Twilio delivers every webhook twice, shuffled
   * @param simultaneous texts and recordings whose two copies arrive at the same moment
   * @param twiceWait how long their events may take to arrive
   * @param forwardedPerFault forwarded calls per REST API fault (500, hang, 429, refused)
   * @param apiHang how long the REST API takes to answer in the hang fault (past its read timeout)
   * @param rateLimitResetSeconds the REST API's 429 ratelimit-reset
   * @param forwardingWait how long the forwarded calls' events may take to arrive
   * @param restOutage how long the REST API is down for known lines (refused, then 500s, then
   *     hanging, a third each)
   * @param lateDeliveryWait how long each scenario waits past its last expected event for a
   *     duplicate
   * @param flood the flood scenario's size ({@link FloodDrill})
   */
  public record Sizes(
      String mode,
      Map<String, String> appSettings,
      Duration outage,
      int outageWebhooks,
      Duration outageWait,
      int throttledWebhooks,
      Duration throttledWait,
      int hangingWebhooks,
      Duration hang,
      Duration hangingWait,
      int twiceEach,
      int simultaneous,
      Duration twiceWait,
      int forwardedPerFault,
      Duration apiHang,
      int rateLimitResetSeconds,
      Duration forwardingWait,
      Duration restOutage,
      Duration lateDeliveryWait,
      FloodDrill.Size flood) {}

  static final String TOKEN = "drill-auth-token-0123456789";
  static final String KEY = "dri110123456789abcdef0123456789a";
  static final String API_TOKEN = "drill-pd-api-token";
  static final String POLICY = "PDRILL1";
  /** A line called before the REST API goes down: its roster is known. */
  static final String KNOWN_POLICY = "PDRILL2";
  static final String KNOWN_RESPONDER = "+14155550002";
  private static final Pattern RECORD_ACTION = Pattern.compile("<Record [^>]*action=\"([^\"]+)\"");
  private static final Pattern DIAL = Pattern.compile("<Dial [^>]*action=\"([^\"]+)\"[^>]*>\\s*<Number[^>]*>([^<]+)</Number>");

  private final Sizes sizes;
  private final List<FakePagerDuty> pagerDuties = new ArrayList<>();
  private FakePagerDuty pagerDuty;
  private FakePagerDutyRestApi api;
  private DevServer server;
  private final TwilioClient twilio = new TwilioClient(TOKEN);
  private final List<Tally> tallies = new ArrayList<>();

  private FaultDrill(Sizes sizes) {
    this.sizes = sizes;
  }

  /**
   * Runs the whole drill at these sizes: starts the fakes and the app, runs every scenario, prints
   * the table, and fails unless every scenario passed.
   */
  public static void run(Sizes sizes) throws Exception {
    try (FaultDrill drill = new FaultDrill(sizes)) {
      drill.start();
      drill.drill();
    }
  }

  private void start() throws Exception {
    pagerDuty = FakePagerDuty.start();
    pagerDuties.add(pagerDuty);
    api = FakePagerDutyRestApi.start(API_TOKEN);
    api.onCall(POLICY, null, 1, "PUD0001", "Dana Drill").contactMethods("PUD0001", FakePagerDutyRestApi.phone(1, "4155550001"));
    knownRoster(api);
    server = DevServer.builder()
        .env("TWILIO_AUTH_TOKEN", TOKEN)
        .env("PAGERDUTY_EVENTS_BASE_URL", pagerDuty.baseUrl().toString())
        .env("PAGERDUTY_API_TOKEN", API_TOKEN)
        .env("PAGERDUTY_API_BASE_URL", api.baseUrl().toString())
        // These scenarios count one incident per contact: a line's flood limit would fold them (the
        // flood scenario meets it on a server of its own, with the default settings).
        .env("LINE_PAGE_LIMIT", "10000")
        .env(sizes.appSettings())
        .start();
    System.out.println("Fault drill (" + sizes.mode() + " mode) against " + server);
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    pagerDuties.forEach(FakePagerDuty::close);
    if (api != null) {
      api.close();
    }
  }

  private void drill() throws Exception {
    pagerDutyDown();
    rateLimitedThenAccepted();
    hangingPastTheTimeouts();
    everyWebhookTwiceAndOutOfOrder();
    knownLinesWhileTheRestApiIsDown();
    refreshesMeeting429();
    forwardingWhileTheRestApiFails();
    boolean floodPassed = new FloodDrill(sizes.flood(), TOKEN).run();

    StringBuilder table = new StringBuilder("\nFault drill (" + sizes.mode() + " mode)\n");
    table.append(String.format(Locale.ROOT, "%-38s %-7s %8s %9s %9s %7s %7s %5s %5s %8s%n", "scenario", "verdict",
        "webhooks", "incidents", "incidents", "events", "events", "dup", "lost", "slowest"));
    table.append(String.format(Locale.ROOT, "%-38s %-7s %8s %9s %9s %7s %7s %5s %5s %8s%n", "", "", "sent",
        "expected", "delivered", "expect", "deliv", "", "", "answer"));
    boolean allPassed = floodPassed;
    for (Tally tally : tallies) {
      table.append(tally.row()).append('\n');
      allPassed &= tally.passed();
    }
    table.append("flood (table above)                    ").append(floodPassed ? "PASS" : "FAIL").append('\n');
    table.append(allPassed ? "DRILL PASSED: nothing lost, nothing doubled\n" : "DRILL FAILED\n");
    System.out.println(table);
    assertTrue(table.toString(), allPassed);
  }

  // ---- scenarios ---------------------------------------------------------------------------------

  /** PagerDuty refuses connections for the outage while voicemails and texts stream in, then is back. */
  private void pagerDutyDown() throws Exception {
    Duration outage = sizes.outage();
    int webhooks = sizes.outageWebhooks();
    Tally tally = new Tally("PagerDuty down " + outage.toSeconds() + " s, then back", "a1");
    int port = pagerDuty.port();
    pagerDuty.close();
    long start = System.nanoTime();
    for (int i = 0; i < webhooks; i++) {
      if (i % 2 == 0) {
        tally.voicemail(i);
      } else {
        tally.sms(i);
      }
      sleepUntil(start + outage.toNanos() * (i + 1) / webhooks);
    }
    sleepUntil(start + outage.toNanos());
    pagerDuty = FakePagerDuty.startOn(port);
    pagerDuties.add(pagerDuty);
    System.out.println(tally.name + ": PagerDuty back after " + (System.nanoTime() - start) / 1_000_000 + " ms");
    tally.await(sizes.outageWait());
  }

  /** PagerDuty throttles (429) the first attempts, then accepts (202). */
  private void rateLimitedThenAccepted() throws Exception {
    int webhooks = sizes.throttledWebhooks();
    Tally tally = new Tally("PagerDuty 429, then 202", "b2");
    int[] throttles = new int[2 * webhooks];
    Arrays.fill(throttles, 429);
    pagerDuty.answerNext(throttles);
    for (int i = 0; i < webhooks; i++) {
      if (i % 2 == 0) {
        tally.sms(i);
      } else {
        tally.voicemail(i);
      }
    }
    tally.await(sizes.throttledWait());
  }

  /** PagerDuty holds the first attempts open past the read timeout, then drops them unprocessed. */
  private void hangingPastTheTimeouts() throws Exception {
    int webhooks = sizes.hangingWebhooks();
    Duration hang = sizes.hang();
    Tally tally = new Tally("PagerDuty hanging " + hang.toMillis() / 1000.0 + " s", "c3");
    pagerDuty.hangNext(webhooks, hang);
    for (int i = 0; i < webhooks; i++) {
      if (i % 2 == 0) {
        tally.voicemail(i);
      } else {
        tally.sms(i);
      }
    }
    tally.await(sizes.hangingWait());
  }

  /**
   * Twilio delivers every webhook twice, shuffled (a recording can come before its call), four at
   * a time; some copies arrive at exactly the same moment.
   */
  private void everyWebhookTwiceAndOutOfOrder() throws Exception {
    int each = sizes.twiceEach();
    Tally tally = new Tally("Twilio: each webhook twice, shuffled", "d4");
    List<Webhook> webhooks = new ArrayList<>();
    for (int i = 0; i < each; i++) {
      String callSid = tally.sid("CA", i);
      webhooks.add(tally.callWebhook(callSid));
      webhooks.add(tally.recordWebhook(callSid, "/record?service_key=" + KEY));
      tally.expect(callSid, "trigger/voicemail");
      String smsSid = tally.sid("SM", i);
      webhooks.add(tally.smsWebhook(smsSid));
      tally.expect(smsSid, "trigger/sms");
    }
    List<Webhook> twice = new ArrayList<>(webhooks);
    twice.addAll(webhooks);
    Collections.shuffle(twice, new Random(20261122L));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> sent = new ArrayList<>();
    for (Webhook webhook : twice) {
      sent.add(pool.submit(() -> tally.send(webhook)));
    }
    // And some copies at the very same moment.
    int simultaneous = sizes.simultaneous();
    for (int i = 0; i < simultaneous; i++) {
      String smsSid = tally.sid("SM", each + i);
      String callSid = tally.sid("CA", each + i);
      tally.expect(smsSid, "trigger/sms");
      tally.expect(callSid, "trigger/voicemail");
      for (Webhook webhook : List.of(tally.smsWebhook(smsSid), tally.recordWebhook(callSid, "/record?service_key=" + KEY))) {
        CountDownLatch go = new CountDownLatch(1);
        for (int copy = 0; copy < 2; copy++) {
          sent.add(pool.submit(() -> {
            go.await();
            return tally.send(webhook);
          }));
        }
        go.countDown();
      }
    }
    for (Future<?> future : sent) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    tally.await(sizes.twiceWait());
  }

  /**
   * Live forwarding while PagerDuty's REST API answers 500, hangs, rate-limits (429), and refuses
   * connections: every caller must get the voicemail prompt, and leave a message that pages.
   */
  private void forwardingWhileTheRestApiFails() throws Exception {
    int perFault = sizes.forwardedPerFault();
    Tally tally = new Tally("Forwarding, REST API failing", "e5");
    int caller = 0;
    int[] errors = new int[perFault];
    Arrays.fill(errors, 500);
    api.answerNextOn("/oncalls", errors);
    for (int i = 0; i < perFault; i++) {
      tally.forwardedCall(caller++);
    }
    api.latency(sizes.apiHang());
    for (int i = 0; i < perFault; i++) {
      tally.forwardedCall(caller++);
    }
    api.latency(Duration.ZERO);
    int reset = sizes.rateLimitResetSeconds();
    api.rateLimitNextOn("/oncalls", reset);
    for (int i = 0; i < perFault; i++) {
      tally.forwardedCall(caller++);
    }
    Thread.sleep((reset + 1) * 1000L);
    api.close(); // connection refused from now on
    for (int i = 0; i < perFault; i++) {
      tally.forwardedCall(caller++);
    }
    tally.await(sizes.forwardingWait());
  }

  private static void knownRoster(FakePagerDutyRestApi api) {
    api.onCall(KNOWN_POLICY, null, 1, "PUD0002", "Erin Drill").contactMethods("PUD0002", FakePagerDutyRestApi.phone(1, "4155550002"));
  }

  /**
   * After a warm call, the REST API is down (connections refused, then 500s, then hanging past its
   * timeouts), each for a third of {@link Sizes#restOutage}: every call to the known line must
   * ring its last-known responder (here the caller then hangs up, which opens a missed-call
   * incident), and a call to a brand-new line must still reach voicemail.
   */
  private void knownLinesWhileTheRestApiIsDown() throws Exception {
    Tally tally = new Tally("Known line, REST API down", "e6");
    int caller = 0;
    tally.knownLineCall(caller++); // warm: the line's roster is known from now on
    int port = api.port();
    Duration phase = sizes.restOutage().dividedBy(3);
    int perPhase = sizes.forwardedPerFault();
    api.close();
    caller = knownLineCallsDuring(tally, phase, perPhase, caller); // connection refused
    api = FakePagerDutyRestApi.startOn(API_TOKEN, port);
    api.onCall(POLICY, null, 1, "PUD0001", "Dana Drill").contactMethods("PUD0001", FakePagerDutyRestApi.phone(1, "4155550001"));
    knownRoster(api);
    int[] errors = new int[10_000];
    Arrays.fill(errors, 500);
    api.answerNext(errors);
    caller = knownLineCallsDuring(tally, phase, perPhase, caller); // 500s
    api = restartedWithoutScript(port);
    api.latency(sizes.apiHang());
    caller = knownLineCallsDuring(tally, phase, perPhase, caller); // hanging
    api.latency(Duration.ZERO);
    tally.await(sizes.forwardingWait());
    System.out.println(tally.name + ": known-line calls " + tally.knownCalls + ", rang the last-known responder "
        + tally.rung + ", brand-new-line callers reaching voicemail " + tally.reachedVoicemail + "/" + tally.callers);
  }

  private FakePagerDutyRestApi restartedWithoutScript(int port) throws IOException {
    api.close();
    FakePagerDutyRestApi restarted = FakePagerDutyRestApi.startOn(API_TOKEN, port);
    restarted.onCall(POLICY, null, 1, "PUD0001", "Dana Drill").contactMethods("PUD0001", FakePagerDutyRestApi.phone(1, "4155550001"));
    knownRoster(restarted);
    return restarted;
  }

  /** Spreads calls to the known line over the phase, and one call to a brand-new line. */
  private int knownLineCallsDuring(Tally tally, Duration phase, int calls, int caller) throws InterruptedException {
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      sleepUntil(start + phase.toNanos() * i / calls);
      tally.knownLineCall(caller++);
    }
    tally.forwardedCall(caller++, "PNEW" + caller);
    sleepUntil(start + phase.toNanos());
    return caller;
  }

  /**
   * The background refreshes meet a 429: calls to the known line go on ringing, and the
   * refreshes make no request until PagerDuty's reset.
   */
  private void refreshesMeeting429() throws Exception {
    Tally tally = new Tally("Refreshes meeting 429", "e7");
    int reset = sizes.rateLimitResetSeconds();
    int before = api.count();
    api.rateLimitNext(reset);
    long start = System.nanoTime();
    int caller = 0;
    // Each call finds the roster older than ONCALL_CACHE_SECONDS and asks for a background refresh.
    while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(reset) * 3 / 4) {
      tally.knownLineCall(caller++);
      Thread.sleep(250);
    }
    int during = api.count() - before;
    tally.await(sizes.forwardingWait());
    System.out.println(tally.name + ": known-line calls " + tally.knownCalls + ", rang " + tally.rung
        + ", REST requests while rate limited " + during + " (the 429 itself, then none)");
    if (during > 1) {
      tally.problems.add("refreshes made " + during + " REST requests while rate limited");
      tally.badAnswers.incrementAndGet();
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  /** Every event any incarnation of the fake PagerDuty accepted. */
  private List<JSONObject> acceptedEvents() {
    List<JSONObject> all = new ArrayList<>();
    for (FakePagerDuty instance : pagerDuties) {
      all.addAll(instance.events());
    }
    return all;
  }

  static String kind(JSONObject event) {
    JSONObject payload = event.optJSONObject("payload");
    return event.getString("event_action") + (payload == null ? "" : "/" + payload.optString("component", "?"));
  }

  // ---- one scenario's counts ---------------------------------------------------------------------

  /** One webhook to send: URL and form; signed when sent. */
  private record Webhook(String url, Map<String, String> form) {}

  /** What one scenario sent and expects, and what PagerDuty got. */
  private final class Tally {
    final String name;
    final String code;
    final Map<String, Set<String>> expected = new LinkedHashMap<>();
    final AtomicInteger webhooks = new AtomicInteger();
    final AtomicInteger badAnswers = new AtomicInteger();
    final AtomicLong slowestNanos = new AtomicLong();
    int callers;
    int reachedVoicemail;
    int knownCalls;
    int rung;
    int incidentsDelivered;
    int eventsExpected;
    int eventsDelivered;
    int duplicates;
    int lost;
    final Set<String> problems = new LinkedHashSet<>();

    Tally(String name, String code) {
      this.name = name;
      this.code = code;
      tallies.add(this);
    }

    String sid(String prefix, int i) {
      return String.format(Locale.ROOT, "%s%s%030d", prefix, code, i);
    }

    synchronized void expect(String dedupKey, String kind) {
      expected.computeIfAbsent(dedupKey, k -> new LinkedHashSet<>()).add(kind);
    }

    /**
     * Each call and text has a caller of its own, so that these scenarios, which count one incident
     * per contact, meet no repeat folding ({@code flood} drills that).
     */
    String caller(String sid) {
      int index = Integer.parseInt(sid.substring(sid.length() - 5));
      return String.format(Locale.ROOT, "+1415%d%d%05d", tallies.indexOf(this) % 10, sid.startsWith("SM") ? 2 : 1, index);
    }

    Webhook callWebhook(String callSid) {
      return new Webhook(server.baseUrl() + "/call?service_key=" + KEY, TwilioClient.incomingCall(callSid, caller(callSid)));
    }

    Webhook recordWebhook(String callSid, String action) {
      return new Webhook(server.baseUrl() + action, TwilioClient.recordingDone(callSid, caller(callSid), 12));
    }

    Webhook smsWebhook(String smsSid) {
      return new Webhook(server.baseUrl() + "/sms?service_key=" + KEY,
          TwilioClient.incomingSms(smsSid, caller(smsSid), "drill " + name));
    }

    /** Sends one webhook as Twilio would; counts it, its time, and a non-200 answer. */
    HttpResponse<String> send(Webhook webhook) {
      webhooks.incrementAndGet();
      long t0 = System.nanoTime();
      HttpResponse<String> response = twilio.trySend(twilio.signedPost(webhook.url(), webhook.form()));
      slowestNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
      if (response == null || response.statusCode() != 200) {
        badAnswers.incrementAndGet();
        System.out.println(name + ": " + webhook.url() + " answered " + (response == null ? "nothing" : response.statusCode()));
      }
      return response;
    }

    /** A caller leaves a voicemail: the voice webhook, then the recording action it names. */
    void voicemail(int i) {
      String callSid = sid("CA", i);
      expect(callSid, "trigger/voicemail");
      send(callWebhook(callSid));
      send(recordWebhook(callSid, "/record?service_key=" + KEY));
    }

    void sms(int i) {
      String smsSid = sid("SM", i);
      expect(smsSid, "trigger/sms");
      send(smsWebhook(smsSid));
    }

    /**
     * A call to the known line: must ring its last-known responder; the caller then hangs up
     * while it rings, which must open exactly one missed-call incident.
     */
    void knownLineCall(int i) {
      String callSid = sid("CA", i);
      knownCalls++;
      String forward = server.baseUrl() + "/forward?escalation_policy=" + KNOWN_POLICY + "&service_key=" + KEY;
      HttpResponse<String> answer = send(new Webhook(forward, TwilioClient.incomingCall(callSid, caller(callSid))));
      Matcher dial = DIAL.matcher(answer == null ? "" : answer.body());
      if (!dial.find() || !dial.group(2).equals(KNOWN_RESPONDER)) {
        System.out.println(name + ": call " + callSid + " did not ring " + KNOWN_RESPONDER + ": "
            + (answer == null ? "" : answer.body()));
        return;
      }
      rung++;
      expect(callSid, "trigger/missed call");
      Map<String, String> hungUp = TwilioClient.incomingCall(callSid, caller(callSid));
      hungUp.put("CallStatus", "completed");
      hungUp.put("DialCallStatus", "no-answer");
      hungUp.put("DialBridged", "false");
      send(new Webhook(URI.create(forward).resolve(dial.group(1).replace("&amp;", "&")).toString(), hungUp));
    }

    /** A forwarded call: must get voicemail; the caller then records a message. */
    void forwardedCall(int i) {
      forwardedCall(i, POLICY);
    }

    /** A forwarded call to a line whose policy cannot be looked up: must get voicemail. */
    void forwardedCall(int i, String policy) {
      String callSid = sid("CA", i);
      callers++;
      expect(callSid, "trigger/forwarding"); // the call arrived, could not be forwarded
      expect(callSid, "trigger/voicemail"); // the message
      HttpResponse<String> answer = send(new Webhook(
          server.baseUrl() + "/forward?escalation_policy=" + policy + "&service_key=" + KEY,
          TwilioClient.incomingCall(callSid, caller(callSid))));
      Matcher record = RECORD_ACTION.matcher(answer == null ? "" : answer.body());
      if (!record.find()) {
        System.out.println(name + ": caller " + callSid + " did not reach voicemail: " + (answer == null ? "" : answer.body()));
        return;
      }
      reachedVoicemail++;
      send(recordWebhook(callSid, record.group(1).replace("&amp;", "&")));
    }

    /** Waits (bounded) for every expected event, then a little longer for duplicates, and counts. */
    void await(Duration timeout) throws InterruptedException {
      long start = System.nanoTime();
      long deadline = start + timeout.toNanos();
      while (System.nanoTime() < deadline && !count()) {
        Thread.sleep(200);
      }
      long waited = (System.nanoTime() - start) / 1_000_000;
      Thread.sleep(sizes.lateDeliveryWait().toMillis()); // room for a late second delivery
      count();
      System.out.println(line() + " (all delivered " + (lost == 0 ? waited + " ms after the last webhook" : "never")
          + ")");
    }

    /** Recounts from PagerDuty's accepted events; true when nothing expected is missing. */
    synchronized boolean count() {
      Map<String, Map<String, Integer>> seen = new LinkedHashMap<>();
      for (JSONObject event : acceptedEvents()) {
        String key = event.getString("dedup_key");
        if (expected.containsKey(key) || key.startsWith("CA" + code) || key.startsWith("SM" + code)) {
          seen.computeIfAbsent(key, k -> new LinkedHashMap<>()).merge(kind(event), 1, Integer::sum);
        }
      }
      problems.clear();
      eventsExpected = 0;
      eventsDelivered = 0;
      incidentsDelivered = 0;
      duplicates = 0;
      lost = 0;
      for (Map.Entry<String, Set<String>> entry : expected.entrySet()) {
        Map<String, Integer> kinds = seen.getOrDefault(entry.getKey(), Map.of());
        if (!kinds.isEmpty()) {
          incidentsDelivered++;
        }
        for (String kind : entry.getValue()) {
          eventsExpected++;
          int n = kinds.getOrDefault(kind, 0);
          if (n == 0) {
            lost++;
          } else {
            eventsDelivered++;
            duplicates += n - 1;
            if (n > 1) {
              problems.add(entry.getKey() + " " + kind + " x" + n);
            }
          }
        }
      }
      for (Map.Entry<String, Map<String, Integer>> entry : seen.entrySet()) {
        Set<String> kinds = expected.getOrDefault(entry.getKey(), Set.of());
        entry.getValue().forEach((kind, n) -> {
          if (!kinds.contains(kind)) {
            problems.add(entry.getKey() + " unexpected " + kind + " x" + n);
            duplicates += n; // an event nobody asked for
          }
        });
      }
      return lost == 0;
    }

    boolean passed() {
      return lost == 0 && duplicates == 0 && badAnswers.get() == 0 && reachedVoicemail == callers
          && rung == knownCalls;
    }

    String line() {
      return String.format(Locale.ROOT,
          "VERDICT %s: %s — webhooks sent %d, incidents expected %d, incidents delivered %d, events expected %d,"
              + " events delivered %d, duplicates %d, lost %d, non-200 answers %d, slowest answer %d ms%s",
          name, passed() ? "PASS" : "FAIL", webhooks.get(), expected.size(), incidentsDelivered, eventsExpected,
          eventsDelivered, duplicates, lost, badAnswers.get(), slowestNanos.get() / 1_000_000,
          (callers > 0 ? ", callers reaching voicemail " + reachedVoicemail + "/" + callers : "")
              + (knownCalls > 0 ? ", known-line calls ringing the last-known responder " + rung + "/" + knownCalls : ""))
          + (problems.isEmpty() ? "" : "; doubled: " + problems);
    }

    String row() {
      return String.format(Locale.ROOT, "%-38s %-7s %8d %9d %9d %7d %7d %5d %5d %6d ms", name, passed() ? "PASS" : "FAIL",
          webhooks.get(), expected.size(), incidentsDelivered, eventsExpected, eventsDelivered, duplicates, lost,
          slowestNanos.get() / 1_000_000);
    }
  }
}
