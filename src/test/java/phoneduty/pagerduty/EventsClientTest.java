package phoneduty.pagerduty;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.json.JSONObject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import phoneduty.pagerduty.EventsClient.Delivery.Outcome;
import phoneduty.support.EventsApiSchema;
import phoneduty.support.FakePagerDuty;

public class EventsClientTest {

  private static final RoutingKey KEY = RoutingKey.parse("0123456789abcdef0123456789ABCDEF").orElseThrow();
  private FakePagerDuty pagerDuty;
  private EventsClient client;

  @Before
  public void start() throws Exception {
    pagerDuty = FakePagerDuty.start();
    client = new EventsClient(pagerDuty.baseUrl(), Duration.ofMillis(500), Duration.ofMillis(700));
  }

  @After
  public void stop() {
    pagerDuty.close();
  }

  private static PagerDutyEvent voicemail() {
    return PagerDutyEvent.trigger(KEY, "CA0123456789abcdef0123456789abcdef")
        .summary("Voicemail from +14155550100: https://example.appspot.com/r/abcdefABCDEF")
        .source("phoneduty +18005551212")
        .classify(Severity.CRITICAL, "voicemail", "phone call", Instant.parse("2026-11-22T06:00:00Z"))
        .detail("from", "+14155550100")
        .link("https://example.appspot.com/r/abcdefABCDEF", "Voicemail recording")
        .build();
  }

  @Test
  public void send_when202_isDeliveredAndTheBodyMatchesTheOfficialSchema() {
    EventsClient.Delivery delivery = client.send(voicemail());

    assertEquals(Outcome.DELIVERED, delivery.outcome());
    assertEquals(202, delivery.status());
    assertEquals(1, pagerDuty.events().size());
    JSONObject sent = pagerDuty.events().get(0);
    EventsApiSchema.assertValid(sent);
    assertEquals("trigger", sent.getString("event_action"));
  }

  @Test
  public void send_changeEvent_goesToTheChangeEndpoint_andMatchesItsOfficialSchema() {
    PagerDutyEvent change = PagerDutyEvent.change(KEY, "CA1-accepted")
        .summary("Alice took the call from +14155550100 for 42 s")
        .source("phoneduty +18005551212")
        .at(Instant.parse("2026-11-22T06:00:00Z"))
        .detail("talked_seconds", "42")
        .build();

    assertEquals(Outcome.DELIVERED, client.send(change).outcome());

    assertEquals("no alert event", 0, pagerDuty.events().size());
    JSONObject sent = pagerDuty.changes().get(0);
    EventsApiSchema.assertValidChange(sent);
    assertEquals("phoneduty's own key is not sent", "[payload, routing_key]", new java.util.TreeSet<>(sent.keySet()).toString());
    assertEquals("change", change.action());
    assertEquals("CA1-accepted", change.dedupKey());
  }

  @Test
  public void send_acknowledge_matchesTheOfficialSchema() {
    assertEquals(Outcome.DELIVERED, client.send(PagerDutyEvent.acknowledge(KEY, "CA1")).outcome());
    EventsApiSchema.assertValid(pagerDuty.events().get(0));
  }

  @Test
  public void send_when400_isRejectedForGoodWithPagerDutysErrors() {
    pagerDuty.answerNext(400);
    EventsClient.Delivery delivery = client.send(voicemail());
    assertEquals(Outcome.REJECTED, delivery.outcome());
    assertTrue(delivery.detail(), delivery.detail().contains("scripted 400"));
  }

  @Test
  public void send_whenPagerDutyFindsTheEventInvalid_isRejected() {
    // The fake checks events as PagerDuty does; an unknown severity must come back as 400.
    PagerDutyEvent bad = PagerDutyEvent.fromJson(
        new JSONObject(voicemail().toJson()).put("event_action", "explode").toString());
    EventsClient.Delivery delivery = client.send(bad);
    assertEquals(Outcome.REJECTED, delivery.outcome());
    assertEquals(400, delivery.status());
  }

  @Test
  public void send_when429_isRetried() {
    pagerDuty.answerNext(429);
    EventsClient.Delivery delivery = client.send(voicemail());
    assertEquals(Outcome.RETRY, delivery.outcome());
    assertEquals(429, delivery.status());
  }

  @Test
  public void send_when500or503_isRetried() {
    pagerDuty.answerNext(500, 503);
    assertEquals(Outcome.RETRY, client.send(voicemail()).outcome());
    assertEquals(Outcome.RETRY, client.send(voicemail()).outcome());
    assertEquals(Outcome.DELIVERED, client.send(voicemail()).outcome());
  }

  @Test
  public void send_whenPagerDutyHangsPastTheReadTimeout_isRetriedWithinTheTimeout() {
    pagerDuty.latency(Duration.ofSeconds(3));
    long start = System.nanoTime();
    EventsClient.Delivery delivery = client.send(voicemail());
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertEquals(Outcome.RETRY, delivery.outcome());
    assertTrue(delivery.detail(), delivery.detail().contains("did not answer in time"));
    assertTrue("took " + tookMillis + " ms", tookMillis < 2500);
  }

  @Test
  public void send_whenConnectionIsRefused_isRetried() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    EventsClient refused = new EventsClient(URI.create("http://127.0.0.1:" + closedPort),
        Duration.ofMillis(500), Duration.ofMillis(500));
    EventsClient.Delivery delivery = refused.send(voicemail());
    assertEquals(Outcome.RETRY, delivery.outcome());
    assertTrue(delivery.detail(), delivery.detail().contains("could not be reached"));
  }

  @Test
  public void send_postsToV2EnqueueUnderTheConfiguredBase() throws Exception {
    EventsClient withSlash = new EventsClient(URI.create(pagerDuty.baseUrl() + "/"), Duration.ofSeconds(1), Duration.ofSeconds(1));
    assertEquals(Outcome.DELIVERED, withSlash.send(voicemail()).outcome());
  }
}
