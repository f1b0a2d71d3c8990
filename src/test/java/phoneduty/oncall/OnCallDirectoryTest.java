package phoneduty.oncall;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static phoneduty.support.FakePagerDutyRestApi.email;
import static phoneduty.support.FakePagerDutyRestApi.phone;
import static phoneduty.support.FakePagerDutyRestApi.push;
import static phoneduty.support.FakePagerDutyRestApi.sms;

import com.google.appengine.api.memcache.MemcacheService;
import com.google.appengine.api.memcache.MemcacheServiceFactory;
import com.google.appengine.api.datastore.DatastoreServiceFactory;
import com.google.appengine.api.taskqueue.QueueFactory;
import com.google.appengine.api.taskqueue.dev.QueueStateInfo;
import com.google.appengine.tools.development.testing.LocalDatastoreServiceTestConfig;
import com.google.appengine.tools.development.testing.LocalMemcacheServiceTestConfig;
import com.google.appengine.tools.development.testing.LocalTaskQueueTestConfig;
import com.google.appengine.tools.development.testing.LocalServiceTestHelper;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.json.JSONObject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import phoneduty.Settings;
import phoneduty.pagerduty.Failure;
import phoneduty.pagerduty.RestApiClient;
import phoneduty.support.FakePagerDutyRestApi;
import phoneduty.support.LogCapture;
import phoneduty.support.TestClock;

public final class OnCallDirectoryTest {

  private static final String TOKEN = "u+pdTestToken-0123456789abcdef";
  private static final String POLICY = "PEP0001";
  private static final String OTHER_POLICY = "PEP0002";
  private static final String SCHEDULE = "PSC0001";
  private static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");

  private final TestClock clock = new TestClock(NOW);
  private final LocalServiceTestHelper services =
      new LocalServiceTestHelper(new LocalMemcacheServiceTestConfig(), new LocalDatastoreServiceTestConfig(),
          new LocalTaskQueueTestConfig().setDisableAutoTaskExecution(true)
              .setQueueXmlPath("src/main/webapp/WEB-INF/queue.xml")).setClock(clock);
  private FakePagerDutyRestApi pagerDuty;
  private MemcacheService memcache;
  private LogCapture logs;

  @Before
  public void setUp() throws Exception {
    services.setUp();
    memcache = MemcacheServiceFactory.getMemcacheService();
    pagerDuty = FakePagerDutyRestApi.start(TOKEN);
    logs = LogCapture.of("phoneduty");
  }

  @After
  public void tearDown() {
    logs.close();
    pagerDuty.close();
    services.tearDown();
  }

  /** The directory as App wires it, over these settings, the test's App Engine services and clock. */
  private OnCallDirectory directory(Settings settings, Duration budget) {
    RestApiClient api = new RestApiClient(settings.pagerDutyApiToken(), settings.pagerDutyApiBaseUrl(),
        settings.connectTimeout(), settings.apiReadTimeout(), memcache, clock);
    OnCallCache cache = new OnCallCache(memcache, MemcacheServiceFactory.getAsyncMemcacheService(), clock);
    return new OnCallDirectory(new RosterFetcher(api, cache, new PhoneNumbers(settings.blockedDialPrefixes()), clock),
        cache, store(), new RosterRefreshQueue(QueueFactory.getQueue(RosterRefreshQueue.QUEUE_NAME), clock),
        new OnCallDirectory.Freshness(settings.onCallCacheTtl(), settings.rosterMaxStale()), budget, clock);
  }

  private static RosterStore store() {
    return new RosterStore(DatastoreServiceFactory.getDatastoreService(), DatastoreServiceFactory.getAsyncDatastoreService());
  }

  private Settings settings(String... overrides) {
    Map<String, String> values = new HashMap<>();
    values.put(Settings.PAGERDUTY_API_TOKEN, TOKEN);
    values.put(Settings.PAGERDUTY_API_BASE_URL, pagerDuty.baseUrl().toString());
    values.put(Settings.PAGERDUTY_CONNECT_TIMEOUT_MS, "500");
    values.put(Settings.PAGERDUTY_API_READ_TIMEOUT_MS, "1000");
    values.put(Settings.ONCALL_CACHE_SECONDS, "60");
    for (int i = 0; i < overrides.length; i += 2) {
      if (overrides[i + 1] == null) {
        values.remove(overrides[i]);
      } else {
        values.put(overrides[i], overrides[i + 1]);
      }
    }
    return Settings.of(values);
  }

  private OnCallDirectory directory(String... overrides) {
    return directory(settings(overrides), OnCallDirectory.DEFAULT_TOTAL_BUDGET);
  }

  private OnCallLookup lookupPolicy(String... policies) {
    return directory().lookup(List.of(policies), List.of());
  }

  private static Map<Integer, List<String>> numbersByLevel(OnCallLookup lookup) {
    return lookup.levels().stream().collect(Collectors.toMap(EscalationLevel::level, EscalationLevel::phoneNumbers,
        (a, b) -> { throw new AssertionError("level twice"); }, LinkedHashMap::new));
  }

  private static List<String> userIds(EscalationLevel level) {
    return level.responders().stream().map(Responder::userId).toList();
  }

  private void assertFailed(Failure expected, OnCallLookup lookup) {
    assertFalse("expected " + expected + " but found " + lookup, lookup.found());
    assertEquals(lookup.toString(), expected, lookup.failure().orElseThrow());
    assertTrue(lookup.levels().isEmpty());
    assertFalse("reason holds the token: " + lookup.reason(), lookup.reason().contains(TOKEN));
    assertFalse("logs hold the token", logs.text().contains(TOKEN));
    assertTrue("the cause is logged: " + logs.text(), logs.text().contains(expected.name()));
  }

  // ---- who is on call ------------------------------------------------------------------------------

  @Test
  public void lookup_withOneLevel_returnsItsPhoneNumbersInE164() {
    pagerDuty.onCall(POLICY, SCHEDULE, 1, "PUSER01", "Ada Lovelace")
        .contactMethods("PUSER01", email("ada@example.com"), phone(1, "415 555 0100"), phone(44, "(20) 7946-0958"));

    OnCallLookup lookup = lookupPolicy(POLICY);

    assertTrue(lookup.toString(), lookup.found());
    assertTrue(lookup.failure().isEmpty());
    assertEquals(1, lookup.levels().size());
    EscalationLevel level = lookup.levels().get(0);
    assertEquals(1, level.level());
    assertEquals(List.of(new Responder("PUSER01", "Ada Lovelace", List.of("+14155550100", "+442079460958"))),
        level.responders());
    assertEquals(List.of("+14155550100", "+442079460958"), level.phoneNumbers());
    assertTrue(lookup.reason(), lookup.reason().contains("Ada Lovelace") && lookup.reason().contains(POLICY));
  }

  @Test
  public void lookup_keepsAPhoneExtensionApartFromTheNumber_andTextsGoToTheNumberAlone() {
    pagerDuty.onCall(POLICY, SCHEDULE, 1, "PUSER01", "Ada Lovelace")
        .contactMethods("PUSER01", phone(1, "415 555 0100,,42"), sms(1, "415 555 0199,7"));

    Responder ada = lookupPolicy(POLICY).levels().get(0).responders().get(0);

    // Not "+1415555010042": the extension's digits are not part of the number.
    assertEquals(List.of("+14155550100,,42"), ada.phoneNumbers());
    assertEquals(List.of("+14155550199"), ada.textNumbers());
    assertTrue("calls from the desk phone's own number are hers", ada.uses("+14155550100"));
  }

  @Test
  public void lookup_keepsEachShiftsEnd_whateverTheTimeZonePagerDutyWritesItIn() {
    pagerDuty.onCallUntil(POLICY, SCHEDULE, 1, "PUSER01", "Ada Lovelace", "2026-11-22T01:30:00-05:00")
        .onCall(POLICY, null, 2, "PUSER02", "Grace Hopper")
        .contactMethods("PUSER01", phone(1, "4155550100")).contactMethods("PUSER02", phone(1, "4155550101"));

    assertTrue(lookupPolicy(POLICY).found());

    Roster held = directory().latest(List.of(POLICY), List.of()).orElseThrow();
    assertEquals("Grace is targeted directly: no end", Map.of("PUSER01", Instant.parse("2026-11-22T06:30:00Z")),
        held.shiftEnds());
  }

  @Test
  public void lookup_sendsTheHeadersAndQueryTheSpecAsksFor() {
    pagerDuty.onCall(POLICY, SCHEDULE, 1, "PUSER01", "Ada").contactMethods("PUSER01", phone(1, "4155550100"));

    assertTrue(directory().lookup(List.of(POLICY, OTHER_POLICY), List.of()).found());

    FakePagerDutyRestApi.Request oncalls = pagerDuty.requests().get(0);
    assertEquals("GET", oncalls.method());
    assertEquals("/oncalls", oncalls.path());
    assertEquals(List.of(POLICY, OTHER_POLICY), oncalls.parameter("escalation_policy_ids[]"));
    assertEquals(List.of(), oncalls.parameter("schedule_ids[]"));
    assertEquals(List.of("true"), oncalls.parameter("earliest"));
    assertEquals(List.of("100"), oncalls.parameter("limit"));
    assertEquals(List.of("0"), oncalls.parameter("offset"));
    for (FakePagerDutyRestApi.Request request : pagerDuty.requests()) {
      assertEquals("Token token=" + TOKEN, request.header("Authorization"));
      assertEquals("application/vnd.pagerduty+json;version=2", request.header("Accept"));
      assertEquals("application/json", request.header("Content-Type"));
    }
    assertEquals("/users/PUSER01/contact_methods", pagerDuty.requests().get(1).path());
  }

  @Test
  public void lookup_withTwoLevels_putsLevelOneFirst() {
    pagerDuty.onCall(POLICY, null, 2, "PUSER02", "Grace Hopper")
        .onCall(POLICY, SCHEDULE, 1, "PUSER01", "Ada Lovelace")
        .contactMethods("PUSER01", phone(1, "4155550101"))
        .contactMethods("PUSER02", phone(1, "4155550102"));

    OnCallLookup lookup = lookupPolicy(POLICY);

    assertTrue(lookup.toString(), lookup.found());
    assertEquals(List.of(1, 2), lookup.levels().stream().map(EscalationLevel::level).toList());
    assertEquals(List.of("PUSER01"), userIds(lookup.levels().get(0)));
    assertEquals(List.of("PUSER02"), userIds(lookup.levels().get(1)));
    assertEquals(List.of("+14155550102"), lookup.levels().get(1).phoneNumbers());
  }

  @Test
  public void lookup_withSeveralUsersAtOneLevel_ringsThemTogetherWithoutRepeats() {
    pagerDuty.onCall(POLICY, SCHEDULE, 1, "PUSER01", "Ada")
        .onCall(POLICY, "PSC0002", 1, "PUSER02", "Grace")
        .onCall(POLICY, "PSC0003", 1, "PUSER01", "Ada") // through a second schedule at the same level
        .contactMethods("PUSER01", phone(1, "4155550101"), phone(1, "415-555-0101"))
        .contactMethods("PUSER02", phone(1, "4155550102"), phone(1, "4155550101")); // a shared desk phone

    OnCallLookup lookup = lookupPolicy(POLICY);

    EscalationLevel level = lookup.levels().get(0);
    assertEquals(List.of("PUSER01", "PUSER02"), userIds(level));
    assertEquals(List.of("+14155550101"), level.responders().get(0).phoneNumbers());
    assertEquals(List.of("+14155550101", "+14155550102"), level.phoneNumbers());
  }

  @Test
  public void lookup_ringsAtMostTenNumbersAtOneLevel() {
    for (int i = 0; i < 12; i++) {
      String user = String.format("PUSER%02d", i);
      pagerDuty.onCall(POLICY, SCHEDULE, 1, user, "User " + i).contactMethods(user, phone(1, "41555501" + String.format("%02d", i)));
    }

    EscalationLevel level = lookupPolicy(POLICY).levels().get(0);

    assertEquals(EscalationLevel.MAX_PHONE_NUMBERS, level.phoneNumbers().size());
    assertEquals("+14155550100", level.phoneNumbers().get(0));
    assertEquals(12, level.responders().size());
  }

  @Test
  public void lookup_usesOnlyVoicePhoneContactMethods() {
    JSONObject blacklisted = phone(1, "4155550199").put("blacklisted", true);
    JSONObject disabled = phone(1, "4155550198").put("enabled", false);
    pagerDuty.onCall(POLICY, SCHEDULE, 1, "PSMS001", "Texts Only")
        .onCall(POLICY, SCHEDULE, 1, "PUSER01", "Ada")
        .onCall(POLICY, null, 2, "PSMS002", "Email And Push Only")
        .onCall(POLICY, null, 3, "PUSER03", "Grace")
        .contactMethods("PSMS001", sms(1, "4155550111"), blacklisted, disabled, push())
        .contactMethods("PUSER01", sms(1, "4155550100"), phone(1, "4155550101"))
        .contactMethods("PSMS002", email("x@example.com"), push())
        .contactMethods("PUSER03", phone(1, "4155550103"));

    OnCallLookup lookup = lookupPolicy(POLICY);

    assertTrue(lookup.toString(), lookup.found());
    // Level 2 has nobody with a phone, so it is left out; level numbers stay PagerDuty's.
    assertEquals(Map.of(1, List.of("+14155550101"), 3, List.of("+14155550103")), numbersByLevel(lookup));
    assertEquals(List.of("PUSER01"), userIds(lookup.levels().get(0)));
    // SMS numbers are never dialled, only kept to recognise a responder who texts or calls the line.
    assertEquals(List.of("+14155550100"), lookup.levels().get(0).responders().get(0).textNumbers());
    assertTrue(logs.text(), logs.text().contains("Texts Only") && logs.text().contains("Email And Push Only"));
  }

  @Test
  public void lookup_whenOnCallUsersHaveOnlySms_failsWithNoPhoneNumbers() {
    pagerDuty.onCall(POLICY, SCHEDULE, 1, "PSMS001", "Texts Only")
        .contactMethods("PSMS001", sms(1, "4155550111"), email("t@example.com"));

    OnCallLookup lookup = lookupPolicy(POLICY);

    assertFailed(Failure.NO_PHONE_NUMBERS, lookup);
    assertTrue(lookup.reason(), lookup.reason().contains("Texts Only"));
  }

  @Test
  public void lookup_whenOnCallsSpanSeveralPages_followsOffsetUntilMoreIsFalse() {
    for (int i = 0; i < 229; i++) {
      pagerDuty.onCall(POLICY, SCHEDULE, 2, "PBULK01", "Bulk");
    }
    pagerDuty.onCall(POLICY, null, 1, "PLAST01", "Last On The Third Page")
        .contactMethods("PBULK01", phone(1, "4155550102"))
        .contactMethods("PLAST01", phone(1, "4155550101"));

    OnCallLookup lookup = lookupPolicy(POLICY);

    assertEquals(Map.of(1, List.of("+14155550101"), 2, List.of("+14155550102")), numbersByLevel(lookup));
    List<FakePagerDutyRestApi.Request> pages = pagerDuty.requests().stream()
        .filter(request -> request.path().equals("/oncalls")).toList();
    assertEquals(3, pages.size());
    assertEquals(List.of("0", "100", "200"), pages.stream().map(page -> page.parameter("offset").get(0)).toList());
    assertEquals("two users' contact methods and the policy", 3, pagerDuty.count() - pages.size());
  }

  @Test
  public void lookup_withSeveralPolicies_mergesTheirLevelsByNumber() {
    pagerDuty.onCall(POLICY, null, 1, "PUSER01", "Ada")
        .onCall(OTHER_POLICY, null, 1, "PUSER02", "Grace")
        .onCall(OTHER_POLICY, null, 2, "PUSER03", "Linus")
        .onCall("PEP0003", null, 1, "PUSER09", "Not Asked For")
        .contactMethods("PUSER01", phone(1, "4155550101"))
        .contactMethods("PUSER02", phone(1, "4155550102"))
        .contactMethods("PUSER03", phone(1, "4155550103"))
        .contactMethods("PUSER09", phone(1, "4155550109"));

    OnCallLookup lookup = lookupPolicy(POLICY, OTHER_POLICY);

    assertEquals(Map.of(1, List.of("+14155550101", "+14155550102"), 2, List.of("+14155550103")),
        numbersByLevel(lookup));
    assertEquals(1, pagerDuty.count("/oncalls"));
  }

  @Test
  public void lookup_userOnCallAtTwoLevels_isRungOnlyAtTheLowest() {
    pagerDuty.onCall(POLICY, null, 2, "PUSER01", "Ada")
        .onCall(POLICY, null, 2, "PUSER02", "Grace")
        .onCall(POLICY, SCHEDULE, 1, "PUSER01", "Ada")
        .onCall(POLICY, null, 3, "PUSER01", "Ada")
        .contactMethods("PUSER01", phone(1, "4155550101"))
        .contactMethods("PUSER02", phone(1, "4155550102"));

    OnCallLookup lookup = lookupPolicy(POLICY);

    // Level 3 had only Ada, already rung at level 1, so it is gone.
    assertEquals(Map.of(1, List.of("+14155550101"), 2, List.of("+14155550102")), numbersByLevel(lookup));
    assertEquals(1, pagerDuty.count("/users/PUSER01/contact_methods"));
  }

  @Test
  public void lookup_bySchedule_sendsScheduleIdsAndOrdersByEscalationLevel() {
    pagerDuty.onCall(OTHER_POLICY, SCHEDULE, 2, "PUSER02", "Grace")
        .onCall(POLICY, SCHEDULE, 1, "PUSER01", "Ada")
        .onCall(POLICY, "PSC0009", 1, "PUSER09", "Other Schedule")
        .contactMethods("PUSER01", phone(1, "4155550101"))
        .contactMethods("PUSER02", phone(1, "4155550102"))
        .contactMethods("PUSER09", phone(1, "4155550109"));

    OnCallLookup lookup = directory().lookup(List.of(), List.of(SCHEDULE));

    assertEquals(Map.of(1, List.of("+14155550101"), 2, List.of("+14155550102")), numbersByLevel(lookup));
    FakePagerDutyRestApi.Request request = pagerDuty.requests().get(0);
    assertEquals(List.of(SCHEDULE), request.parameter("schedule_ids[]"));
    assertEquals(List.of(), request.parameter("escalation_policy_ids[]"));
    assertEquals(List.of("true"), request.parameter("earliest"));
    assertTrue(lookup.reason(), lookup.reason().contains("schedule " + SCHEDULE));
    assertEquals("a schedule /oncalls lists is not read again", 0, pagerDuty.count("/schedules/" + SCHEDULE));
  }

  // ---- a schedule no escalation policy uses ---------------------------------------------------------

  private static final String LONE_SCHEDULE = "PSC0005";

  @Test
  public void lookup_byAScheduleNoPolicyUses_readsTheSchedule_andRingsWhoseShiftCoversNow() {
    pagerDuty.scheduleShift(LONE_SCHEDULE, "PUSER06", "Earlier Shift", NOW.minus(Duration.ofHours(10)), NOW.minus(Duration.ofHours(2)))
        .scheduleShift(LONE_SCHEDULE, "PUSER05", "Lin Now", NOW.minus(Duration.ofHours(2)), NOW.plus(Duration.ofHours(6)))
        .scheduleShift(LONE_SCHEDULE, "PUSER07", "Later Shift", NOW.plus(Duration.ofHours(6)), NOW.plus(Duration.ofHours(14)))
        .contactMethods("PUSER05", phone(1, "4155550105"))
        .contactMethods("PUSER06", phone(1, "4155550106"))
        .contactMethods("PUSER07", phone(1, "4155550107"));
    OnCallDirectory directory = directory();

    OnCallLookup lookup = directory.lookup(List.of(), List.of(LONE_SCHEDULE));

    assertEquals(Map.of(1, List.of("+14155550105")), numbersByLevel(lookup));
    assertTrue(lookup.reason(), lookup.reason().contains("Lin Now"));
    assertEquals(1, pagerDuty.count("/oncalls"));
    FakePagerDutyRestApi.Request read = pagerDuty.requests().stream()
        .filter(request -> request.path().equals("/schedules/" + LONE_SCHEDULE)).findFirst().orElseThrow();
    assertEquals(List.of(NOW.toString()), read.parameter("since"));
    assertEquals(List.of(NOW.plus(Duration.ofMinutes(1)).toString()), read.parameter("until"));
    assertEquals(List.of("true"), read.parameter("overflow"));
    // overflow=true: the shift's real end, not the asked window's, so the call stops ringing Lin at 12:00.
    assertEquals(Map.of("PUSER05", NOW.plus(Duration.ofHours(6))),
        directory.latest(List.of(), List.of(LONE_SCHEDULE)).orElseThrow().shiftEnds());
  }

  @Test
  public void lookup_byAPolicyAndAScheduleNoPolicyUses_ringsBothAtLevelOne() {
    pagerDuty.aliceThenBob(POLICY)
        .scheduleShift(LONE_SCHEDULE, "PUSER05", "Lin Now", NOW.minus(Duration.ofHours(2)), null)
        .contactMethods("PUSER05", phone(1, "4155550105"));

    OnCallLookup lookup = directory().lookup(List.of(POLICY), List.of(LONE_SCHEDULE));

    assertEquals(Map.of(1, List.of("+14155550001", "+14155550105"), 2, List.of("+14155550002")), numbersByLevel(lookup));
  }

  @Test
  public void lookup_byAScheduleNoPolicyUses_withNobodysShiftNow_failsNobodyOnCall() {
    pagerDuty.emptySchedule(LONE_SCHEDULE);

    assertFailed(Failure.NOBODY_ON_CALL, directory().lookup(List.of(), List.of(LONE_SCHEDULE)));
    assertEquals(1, pagerDuty.count("/schedules/" + LONE_SCHEDULE));
  }

  @Test
  public void lookup_byAScheduleTheTokenMayNotRead_findsNobody_andLogsTheScopeItNeeds() {
    pagerDuty.answerNextOn("/schedules/", 403);

    assertFailed(Failure.NOBODY_ON_CALL, directory().lookup(List.of(), List.of(LONE_SCHEDULE)));
    assertTrue(logs.text(), logs.text().contains("schedules.read"));
    assertFalse(logs.text(), logs.text().contains(TOKEN));
  }

  @Test
  public void lookup_whenTheScheduleReadAnswers500_failsServerError_notNobodyOnCall() {
    pagerDuty.scheduleShift(LONE_SCHEDULE, "PUSER05", "Lin Now", NOW.minus(Duration.ofHours(2)), null)
        .contactMethods("PUSER05", phone(1, "4155550105"))
        .answerNextOn("/schedules/", 500);

    assertFailed(Failure.SERVER_ERROR, directory().lookup(List.of(), List.of(LONE_SCHEDULE)));
    // Not kept as the line's roster: the next call asks again and rings Lin.
    assertEquals(Map.of(1, List.of("+14155550105")),
        numbersByLevel(directory().lookup(List.of(), List.of(LONE_SCHEDULE))));
  }

  @Test
  public void lookup_byPoliciesAndSchedules_isTheUnionOfBoth() {
    pagerDuty.onCall(POLICY, null, 1, "PUSER01", "Ada")
        .onCall(OTHER_POLICY, SCHEDULE, 1, "PUSER02", "Grace")
        .contactMethods("PUSER01", phone(1, "4155550101"))
        .contactMethods("PUSER02", phone(1, "4155550102"));

    OnCallLookup lookup = directory().lookup(List.of(POLICY), List.of(SCHEDULE));

    assertEquals(Map.of(1, List.of("+14155550101", "+14155550102")), numbersByLevel(lookup));
    assertEquals(2, pagerDuty.count("/oncalls"));
  }

  @Test
  public void lookup_whenNobodyIsOnCall_failsWithNobodyOnCall_andKeepsThatAnswerAsTheRoster() {
    OnCallLookup lookup = lookupPolicy(POLICY);

    assertFailed(Failure.NOBODY_ON_CALL, lookup);
    assertTrue(lookup.reason(), lookup.reason().contains(POLICY));

    // "Nobody on call" is PagerDuty's answer, not a failure: the next call rings that roster (nobody)
    // without asking again, until a refresh brings the new one.
    pagerDuty.onCall(POLICY, null, 1, "PUSER01", "Ada").contactMethods("PUSER01", phone(1, "4155550101"));
    assertFailed(Failure.NOBODY_ON_CALL, lookupPolicy(POLICY));
    assertEquals(1, pagerDuty.count("/oncalls"));
  }

  // ---- caching -------------------------------------------------------------------------------------

  @Test
  public void lookup_burstOfLookups_makesOneOnCallsRequest() {
    pagerDuty.onCall(POLICY, null, 1, "PUSER01", "Ada")
        .onCall(OTHER_POLICY, null, 2, "PUSER02", "Grace")
        .contactMethods("PUSER01", phone(1, "4155550101"))
        .contactMethods("PUSER02", phone(1, "4155550102"));
    OnCallLookup first = lookupPolicy(POLICY, OTHER_POLICY);

    for (int i = 0; i < 25; i++) {
      // A fresh directory each time, as each webhook would have; ids in any order, repeated.
      OnCallLookup again = i % 2 == 0
          ? lookupPolicy(OTHER_POLICY, POLICY)
          : directory().lookup(List.of(POLICY, " " + OTHER_POLICY, POLICY), null);
      assertTrue(again.found());
      assertEquals(first.levels(), again.levels());
      assertEquals(first.reason(), again.reason());
    }

    assertEquals(1, pagerDuty.count("/oncalls"));
    assertEquals(1, pagerDuty.count("/users/PUSER01/contact_methods"));
    assertEquals("one listing, two users, two policies", 5, pagerDuty.count());
  }

  @Test
  public void lookup_cachesEachUsersPhoneNumbersAcrossLookups() {
    pagerDuty.onCall(POLICY, null, 1, "PUSER01", "Ada")
        .onCall(OTHER_POLICY, null, 1, "PUSER01", "Ada")
        .contactMethods("PUSER01", phone(1, "4155550101"));

    assertTrue(lookupPolicy(POLICY).found());
    assertTrue(lookupPolicy(OTHER_POLICY).found());

    assertEquals(2, pagerDuty.count("/oncalls"));
    assertEquals(1, pagerDuty.count("/users/PUSER01/contact_methods"));
  }

  @Test
  public void lookup_pastTheRefreshInterval_ringsTheRosterHeldAndQueuesOneRefresh() throws Exception {
    pagerDuty.onCall(POLICY, null, 1, "PUSER01", "Ada").contactMethods("PUSER01", phone(1, "4155550101"));
    OnCallDirectory shortLived = directory(Settings.ONCALL_CACHE_SECONDS, "1");

    assertTrue(shortLived.lookup(List.of(POLICY), List.of()).found());
    assertTrue(shortLived.lookup(List.of(POLICY), List.of()).found());
    assertEquals(0, refreshTasks());
    clock.advance(Duration.ofMillis(2100));
    for (int i = 0; i < 5; i++) {
      assertTrue(shortLived.lookup(List.of(POLICY), List.of()).found());
    }

    assertEquals("the call never waits on PagerDuty for a line it knows", 1, pagerDuty.count("/oncalls"));
    assertEquals("one background refresh asked for", 1, refreshTasksOnceAdded());
  }

  /** The refresh is queued without waiting (Queue.addAsync): give the add a moment to land. */
  private int refreshTasksOnceAdded() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (refreshTasks() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return refreshTasks();
  }

  private int refreshTasks() {
    return LocalTaskQueueTestConfig.getLocalTaskQueue().getQueueStateInfo()
        .get(RosterRefreshQueue.QUEUE_NAME).getCountTasks();
  }

  @Test
  public void lookup_queuesOneRefreshForJustAfterTheNextShiftEnds() throws InterruptedException {
    pagerDuty.onCallUntil(POLICY, SCHEDULE, 1, "PUSER01", "Ada", NOW.plus(Duration.ofMinutes(30)))
        .onCallUntil(POLICY, "PSC0002", 2, "PUSER02", "Grace", NOW.plus(Duration.ofMinutes(45)))
        .contactMethods("PUSER01", phone(1, "4155550101"))
        .contactMethods("PUSER02", phone(1, "4155550102"));
    OnCallDirectory directory = directory();

    assertTrue(directory.lookup(List.of(POLICY), List.of()).found());

    assertEquals(1, refreshTasksOnceAdded());
    QueueStateInfo.TaskStateInfo task = LocalTaskQueueTestConfig.getLocalTaskQueue().getQueueStateInfo()
        .get(RosterRefreshQueue.QUEUE_NAME).getTaskInfo().get(0);
    assertEquals("a second after Ada's shift ends", NOW.plus(Duration.ofMinutes(30)).plusSeconds(1).toEpochMilli(),
        task.getEtaMillis());
    assertTrue(task.getBody(), task.getBody().contains("escalation_policy=" + POLICY));
  }

  @Test
  public void lookup_repeatedOnOneInstance_isAnsweredFromItsMemoryForAFewSeconds_thenFromDatastore() {
    pagerDuty.onCall(POLICY, null, 1, "PUSER01", "Ada").contactMethods("PUSER01", phone(1, "4155550101"));
    OnCallDirectory directory = directory();
    assertTrue(directory.lookup(List.of(POLICY), List.of()).found());

    memcache.clearAll();
    assertTrue("answered from the instance's memory", directory.lookup(List.of(POLICY), List.of()).found());

    clock.advance(OnCallCache.LOCAL_TTL.plusSeconds(1));
    assertTrue("memory expired and Memcache was empty: the Datastore copy",
        directory().lookup(List.of(POLICY), List.of()).found());
    assertEquals(1, pagerDuty.count("/oncalls"));
  }

  // ---- failures ------------------------------------------------------------------------------------

  @Test
  public void lookup_withoutToken_failsWithoutAnyRequest() {
    OnCallLookup lookup = directory(Settings.PAGERDUTY_API_TOKEN, null).lookup(List.of(POLICY), List.of());

    assertFailed(Failure.NO_API_TOKEN, lookup);
    assertTrue(lookup.reason(), lookup.reason().contains("PAGERDUTY_API_TOKEN"));
    assertEquals(0, pagerDuty.count());
  }

  @Test
  public void lookup_withMalformedIds_failsBadRequestWithoutAnyRequest() {
    for (List<String> policies : Arrays.asList(List.of("pep0001"), List.of("PEP 0001"), List.of(""), List.of("P"),
        List.of("PEP0001/../users"), Arrays.asList(POLICY, null), List.of("P12345678901234567890X"))) {
      OnCallLookup lookup = directory().lookup(policies, List.of());
      assertFailed(Failure.BAD_REQUEST, lookup);
      assertTrue(lookup.reason(), lookup.reason().contains("malformed"));
    }
    assertFailed(Failure.BAD_REQUEST, directory().lookup(List.of(), List.of("psc0001")));
    assertFailed(Failure.BAD_REQUEST, directory().lookup(null, null));
    assertFailed(Failure.BAD_REQUEST, directory().lookup(List.of(), List.of()));
    assertEquals(0, pagerDuty.count());
  }

  @Test
  public void lookup_withAWrongToken_failsUnauthorizedWithoutLeakingIt() {
    OnCallLookup lookup = directory(Settings.PAGERDUTY_API_TOKEN, "wrong-token").lookup(List.of(POLICY), List.of());

    assertFailed(Failure.UNAUTHORIZED, lookup);
    assertFalse(lookup.reason().contains("wrong-token"));
    assertTrue(lookup.reason(), lookup.reason().contains("401"));
  }

  @Test
  public void lookup_whenPagerDutyAnswers401_failsUnauthorized() {
    pagerDuty.answerNext(401);

    OnCallLookup lookup = lookupPolicy(POLICY);

    assertFailed(Failure.UNAUTHORIZED, lookup);
    assertTrue(lookup.reason(), lookup.reason().contains("PAGERDUTY_API_TOKEN"));
    assertEquals(1, pagerDuty.count());
  }

  @Test
  public void lookup_whenPagerDutyAnswers403_failsForbidden() {
    pagerDuty.answerNext(403);

    assertFailed(Failure.FORBIDDEN, lookupPolicy(POLICY));
  }

  @Test
  public void lookup_whenPagerDutyAnswers400_failsBadRequestWithItsErrors() {
    pagerDuty.answerNext(400);

    OnCallLookup lookup = lookupPolicy(POLICY);

    assertFailed(Failure.BAD_REQUEST, lookup);
    assertTrue(lookup.reason(), lookup.reason().contains("Invalid Input Provided"));
  }

  @Test
  public void lookup_whenPagerDutyAnswers404_failsNotFound() {
    pagerDuty.answerNext(404);

    assertFailed(Failure.NOT_FOUND, lookupPolicy(POLICY));
  }

  @Test
  public void lookup_whenAnOnCallUserIsGone_skipsThem() {
    pagerDuty.onCall(POLICY, null, 1, "PGONE01", "Left The Company")
        .onCall(POLICY, null, 1, "PUSER01", "Ada")
        .contactMethods("PUSER01", phone(1, "4155550101"));

    OnCallLookup lookup = lookupPolicy(POLICY);

    assertEquals(Map.of(1, List.of("+14155550101")), numbersByLevel(lookup));
  }

  @Test
  public void lookup_whenPagerDutyAnswers500_failsServerErrorAndIsNotCached() {
    pagerDuty.onCall(POLICY, null, 1, "PUSER01", "Ada").contactMethods("PUSER01", phone(1, "4155550101"));
    pagerDuty.answerNext(500);

    assertFailed(Failure.SERVER_ERROR, lookupPolicy(POLICY));
    assertTrue(lookupPolicy(POLICY).found());
    assertEquals(2, pagerDuty.count("/oncalls"));
  }

  @Test
  public void lookup_whenContactMethodsAnswer503_failsServerError() {
    pagerDuty.onCall(POLICY, null, 1, "PUSER01", "Ada").contactMethods("PUSER01", phone(1, "4155550101"));
    pagerDuty.answerNextOn("/users/", 503);

    OnCallLookup lookup = lookupPolicy(POLICY);

    assertFailed(Failure.SERVER_ERROR, lookup);
    assertTrue(lookup.reason(), lookup.reason().contains("contact methods of Ada"));
    assertEquals(1, pagerDuty.count("/users/PUSER01/contact_methods"));
  }

  @Test
  public void lookup_whenContactMethodsAnswer429_failsFastUntilReset() {
    pagerDuty.onCall(POLICY, null, 1, "PUSER01", "Ada").contactMethods("PUSER01", phone(1, "4155550101"));
    pagerDuty.rateLimitNextOn("/users/", 5);

    assertFailed(Failure.RATE_LIMITED, lookupPolicy(POLICY));
    assertFailed(Failure.RATE_LIMITED, lookupPolicy(POLICY));
    assertEquals(2, pagerDuty.count());

    clock.advance(Duration.ofSeconds(6));
    assertTrue(lookupPolicy(POLICY).found());
  }

  @Test
  public void lookup_whenPagerDutyAnswers429_failsFastUntilReset() {
    pagerDuty.onCall(POLICY, null, 1, "PUSER01", "Ada").contactMethods("PUSER01", phone(1, "4155550101"));
    pagerDuty.rateLimitNext(30);

    OnCallLookup limited = lookupPolicy(POLICY);

    assertFailed(Failure.RATE_LIMITED, limited);
    assertTrue(limited.reason(), limited.reason().contains("2026-11-22T06:00:30Z"));
    assertEquals(1, pagerDuty.count());

    clock.advance(Duration.ofSeconds(29));
    OnCallLookup stillLimited = lookupPolicy(POLICY);
    assertFailed(Failure.RATE_LIMITED, stillLimited);
    // The limit is the token's, not the ids': other ids wait too.
    assertFailed(Failure.RATE_LIMITED, directory().lookup(List.of(), List.of(SCHEDULE)));
    assertEquals("no request until the reset", 1, pagerDuty.count());

    clock.advance(Duration.ofSeconds(2));
    assertTrue(lookupPolicy(POLICY).found());
    assertEquals(2, pagerDuty.count("/oncalls"));
  }

  @Test
  public void lookup_whenRateLimitedAfterACachedLookup_stillAnswersFromTheCache() {
    pagerDuty.onCall(POLICY, null, 1, "PUSER01", "Ada").contactMethods("PUSER01", phone(1, "4155550101"));
    assertTrue(lookupPolicy(POLICY).found());
    pagerDuty.rateLimitNext(60);
    assertFailed(Failure.RATE_LIMITED, lookupPolicy(OTHER_POLICY));

    assertTrue(lookupPolicy(POLICY).found());
    assertEquals("/oncalls, contact methods and the policy, then the 429 only", 4, pagerDuty.count());
  }

  @Test
  public void lookup_whenPagerDutyHangs_timesOutWithinTheReadTimeout() {
    pagerDuty.onCall(POLICY, null, 1, "PUSER01", "Ada").contactMethods("PUSER01", phone(1, "4155550101"));
    pagerDuty.latency(Duration.ofSeconds(5));

    long start = System.nanoTime();
    OnCallLookup lookup = directory(Settings.PAGERDUTY_API_READ_TIMEOUT_MS, "500").lookup(List.of(POLICY), List.of());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertFailed(Failure.TIMEOUT, lookup);
    assertTrue("took " + took, took.compareTo(Duration.ofMillis(1500)) < 0);
  }

  @Test
  public void lookup_whenPagerDutyHangs_stopsAtTheTotalBudgetEvenIfTheReadTimeoutIsLonger() {
    pagerDuty.onCall(POLICY, null, 1, "PUSER01", "Ada").contactMethods("PUSER01", phone(1, "4155550101"));
    pagerDuty.latency(Duration.ofSeconds(5));
    OnCallDirectory directory = directory(settings(Settings.PAGERDUTY_API_READ_TIMEOUT_MS, "4000"),
        Duration.ofMillis(800));

    long start = System.nanoTime();
    OnCallLookup lookup = directory.lookup(List.of(POLICY), List.of());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertFailed(Failure.TIMEOUT, lookup);
    assertTrue("took " + took, took.compareTo(Duration.ofMillis(1500)) < 0);
  }

  @Test
  public void lookup_whenEveryAnswerIsSlow_stopsOnceTheTotalBudgetIsSpent() {
    for (int i = 1; i <= 6; i++) {
      pagerDuty.onCall(POLICY, null, i, "PUSER0" + i, "User " + i).contactMethods("PUSER0" + i, phone(1, "415555010" + i));
    }
    pagerDuty.latency(Duration.ofMillis(300)); // each answer is well inside the 1 s read timeout
    OnCallDirectory directory = directory(settings(), Duration.ofMillis(1000));

    long start = System.nanoTime();
    OnCallLookup lookup = directory.lookup(List.of(POLICY), List.of());
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertFailed(Failure.TIMEOUT, lookup);
    assertTrue("took " + took, took.compareTo(Duration.ofMillis(1600)) < 0);
    assertTrue(pagerDuty.count() < 7);
  }

  @Test
  public void lookup_whenPagerDutyIsDown_failsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    OnCallLookup lookup = directory(Settings.PAGERDUTY_API_BASE_URL, "http://127.0.0.1:" + closedPort)
        .lookup(List.of(POLICY), List.of());

    assertFailed(Failure.UNREACHABLE, lookup);
  }

  // ---- helpers -------------------------------------------------------------------------------------
}
