package phoneduty.abuse;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.appengine.api.memcache.MemcacheService;
import com.google.appengine.api.memcache.MemcacheServiceException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.json.JSONObject;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.Settings;
import phoneduty.calllog.TimelineEntry;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.support.AppFixture;
import phoneduty.support.EventsApiSchema;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/** Repeat contacts and floods join one incident instead of paging once per contact. */
public class FoldingTest {

  @Rule public final AppFixture app = new AppFixture().with(Settings.LINE_PAGE_LIMIT, "3");

  private static final String KEY = AppFixture.SERVICE_KEY;
  private static final String OTHER_KEY = "fedcba9876543210fedcba9876543210";
  private static final String FROM = "+14155550100";

  private static String sid(String prefix, int n) {
    return prefix + String.format("%032d", n);
  }

  private void text(int n, String from, String body) {
    text(KEY, n, from, body);
  }

  private void text(String key, int n, String from, String body) {
    assertEquals(200, app.twilio.post(app.url("/sms?service_key=" + key), TwilioClient.incomingSms(sid("SM", n), from, body))
        .statusCode());
  }

  private void voicemail(int n, String from) {
    String action = Xml.parse(app.twilio.post(app.url("/call?service_key=" + KEY),
        TwilioClient.incomingCall(sid("CA", n), from)).body()).text("/Response/Record/@action");
    app.twilio.post(URI.create(app.url("/call")).resolve(action).toString(), TwilioClient.recordingDone(sid("CA", n), from, 9));
  }

  private List<JSONObject> delivered() throws Exception {
    app.runQueuedTasks();
    List<JSONObject> events = app.pagerDuty.events();
    events.forEach(EventsApiSchema::assertValid);
    return events;
  }

  private static Set<String> incidents(List<JSONObject> events) {
    return events.stream().map(e -> e.getString("dedup_key")).collect(Collectors.toSet());
  }

  private static String summary(JSONObject event) {
    return event.getJSONObject("payload").getString("summary");
  }

  @Test
  public void sms_repeatedWithinTheWindow_joinsTheFirstTextsIncident_andLosesNothing() throws Exception {
    text(1, FROM, "checkout is down");
    app.clock.advance(Duration.ofMinutes(9));
    text(2, FROM, "still down!!");

    List<JSONObject> events = delivered();
    assertEquals("both texts reach PagerDuty", 2, events.size());
    assertEquals(Set.of(sid("SM", 1)), incidents(events));
    assertTrue(summary(events.get(1)), summary(events.get(1)).startsWith("Repeat contact: SMS from +14155550100"));
    assertTrue(summary(events.get(1)).endsWith("still down!!"));
    assertEquals(List.of("text received", "joined incident", "page queued", "page delivered"),
        app.callLog().timeline(sid("SM", 2)).stream().map(TimelineEntry::step).map(s -> s.name()).toList());
  }

  @Test
  public void sms_afterTheWindow_opensANewIncident() throws Exception {
    text(1, FROM, "checkout is down");
    app.clock.advance(Duration.ofMinutes(11));
    text(2, FROM, "down again");
    assertEquals(Set.of(sid("SM", 1), sid("SM", 2)), incidents(delivered()));
  }

  @Test
  public void sameNumber_onAnotherLine_opensThatLinesOwnIncident() throws Exception {
    text(KEY, 1, FROM, "checkout is down");
    text(OTHER_KEY, 2, FROM, "and the database");
    assertEquals(Set.of(sid("SM", 1), sid("SM", 2)), incidents(delivered()));
  }

  @Test
  public void voicemail_repeatedWithinTheWindow_joinsTheFirstCallsIncident() throws Exception {
    voicemail(1, FROM);
    app.clock.advance(Duration.ofMinutes(2));
    voicemail(2, FROM);
    List<JSONObject> events = delivered();
    assertEquals(2, events.size());
    assertEquals(Set.of(sid("CA", 1)), incidents(events));
    assertTrue(summary(events.get(1)), summary(events.get(1)).startsWith("Repeat contact: Voicemail from"));
    assertEquals(sid("CA", 2), events.get(1).getJSONObject("payload").getJSONObject("custom_details").getString("call_sid"));
  }

  @Test
  public void voicemails_fromAWithheldNumber_areNotOneCaller_eachOpensItsOwnIncident() throws Exception {
    voicemail(1, "anonymous"); // Twilio's From for a withheld caller ID
    app.clock.advance(Duration.ofMinutes(1));
    voicemail(2, "anonymous");

    List<JSONObject> events = delivered();
    assertEquals(Set.of(sid("CA", 1), sid("CA", 2)), incidents(events));
    assertTrue(events.stream().map(FoldingTest::summary).noneMatch(summary -> summary.startsWith("Repeat contact")));
  }

  @Test
  public void voicemails_fromTwiliosOlderWithheldPlaceholder_areNotOneCallerEither() throws Exception {
    voicemail(1, "+266696687"); // ANONYMOUS on a keypad, Twilio's From for a withheld number until 2023
    app.clock.advance(Duration.ofMinutes(1));
    voicemail(2, "+266696687");

    assertEquals(Set.of(sid("CA", 1), sid("CA", 2)), incidents(delivered()));
  }

  @Test
  public void aRepeatThatTwilioSendsTwice_isQueuedOnce() throws Exception {
    text(1, FROM, "checkout is down");
    text(2, FROM, "still down");
    text(2, FROM, "still down");
    assertEquals(2, delivered().size());
  }

  @Test
  public void flood_pastTheLinePageLimit_foldsEveryFurtherContactIntoOneCountingIncident() throws Exception {
    for (int n = 1; n <= 8; n++) {
      text(n, "+1415555" + String.format("%04d", n), "text " + n);
    }
    List<JSONObject> events = delivered();
    assertEquals("every text reaches PagerDuty", 8, events.size());
    Set<String> incidents = incidents(events);
    assertEquals("3 of their own and one flood: " + incidents, 4, incidents.size());
    List<String> flood = events.stream().skip(3).map(FoldingTest::summary).toList();
    assertTrue(flood.get(0), flood.get(0).startsWith("Contact flood on line …CDEF: contact 1 since 06:00 UTC. SMS from"));
    assertTrue(flood.get(4), flood.get(4).startsWith("Contact flood on line …CDEF: contact 5 since"));
    assertEquals(1, events.stream().skip(3).map(e -> e.getString("dedup_key")).distinct().count());
  }

  @Test
  public void flood_endsWhenTheLineHasOpenedFewerThanTheLimitInTheLastTenMinutes() throws Exception {
    for (int n = 1; n <= 4; n++) {
      text(n, "+1415555" + String.format("%04d", n), "text " + n);
    }
    app.runQueuedTasks(); // the delivery task decides, as each text arrives
    app.clock.advance(Duration.ofMinutes(21));
    text(5, "+14155559999", "later");
    List<JSONObject> events = delivered();
    assertEquals(sid("SM", 5), events.get(4).getString("dedup_key"));
  }

  @Test
  public void aRepeatCallerDuringAFlood_joinsTheFloodIncident() throws Exception {
    for (int n = 1; n <= 4; n++) {
      text(n, "+1415555" + String.format("%04d", n), "text " + n);
    }
    text(5, "+14155550004", "me again");
    List<JSONObject> events = delivered();
    assertEquals(events.get(3).getString("dedup_key"), events.get(4).getString("dedup_key"));
  }

  @Test
  public void whenMemcacheFails_eachContactOpensItsOwnIncident() {
    MemcacheService down = (MemcacheService) Proxy.newProxyInstance(MemcacheService.class.getClassLoader(),
        new Class<?>[] {MemcacheService.class}, (proxy, method, args) -> {
          throw new MemcacheServiceException("memcache down");
        });
    Folding folding = new Folding(down, Duration.ofMinutes(10), 3, app.clock);
    Folding.Decision decision = folding.decide(new RoutingKey(KEY), Optional.of(FROM), sid("SM", 7));
    assertEquals(Folding.Outcome.NEW, decision.outcome());
    assertEquals(sid("SM", 7), decision.dedupKey());
  }

  @Test
  public void aCallerWithoutANumber_isNeverARepeat() {
    Folding folding = new Folding(com.google.appengine.api.memcache.MemcacheServiceFactory.getMemcacheService(), Duration.ofMinutes(10), 30, app.clock);
    assertEquals(sid("SM", 1), folding.decide(new RoutingKey(KEY), Optional.empty(), sid("SM", 1)).dedupKey());
    assertEquals(sid("SM", 2), folding.decide(new RoutingKey(KEY), Optional.empty(), sid("SM", 2)).dedupKey());
  }
}
