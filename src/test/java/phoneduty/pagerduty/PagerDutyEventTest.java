package phoneduty.pagerduty;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.json.JSONObject;
import org.junit.Test;
import phoneduty.support.EventsApiSchema;

public class PagerDutyEventTest {

  private static final RoutingKey KEY = RoutingKey.parse("0123456789abcdef0123456789ABCDEF").orElseThrow();

  @Test
  public void trigger_withOverlongSummaryAndDedupKey_staysWithinPagerDutyLimits() {
    PagerDutyEvent event = PagerDutyEvent.trigger(KEY, "k".repeat(400))
        .summary("s".repeat(5000)).source("phoneduty").build();
    JSONObject json = new JSONObject(event.toJson());

    EventsApiSchema.assertValid(json);
    assertEquals(1024, json.getJSONObject("payload").getString("summary").length());
    assertTrue(json.getString("dedup_key").length() <= 255);
    // The same long key always maps to the same dedup key, so retries still deduplicate.
    assertEquals(json.getString("dedup_key"),
        new JSONObject(PagerDutyEvent.trigger(KEY, "k".repeat(400)).summary("x").source("y").build().toJson())
            .getString("dedup_key"));
  }

  @Test
  public void trigger_withoutSummary_cannotBeBuilt() {
    assertThrows(IllegalStateException.class, () -> PagerDutyEvent.trigger(KEY, "CA1").source("x").build());
  }

  @Test
  public void fromJson_roundTripsAndRefusesStrangers() {
    PagerDutyEvent event = PagerDutyEvent.trigger(KEY, "CA1").summary("s").source("x").build();
    assertEquals(event.toJson(), PagerDutyEvent.fromJson(event.toJson()).toJson());
    assertThrows(IllegalArgumentException.class, () -> PagerDutyEvent.fromJson("{\"hello\":1}"));
    assertThrows(IllegalArgumentException.class, () -> PagerDutyEvent.fromJson("not json"));
  }

  @Test
  public void routingKey_isNeverPrintedWhole() {
    assertFalse(KEY.toString().contains("0123456789abcdef"));
    assertFalse(PagerDutyEvent.acknowledge(KEY, "CA1").toString().contains("0123456789abcdef"));
  }

  @Test
  public void routingKey_acceptsOnly32LettersAndDigits() {
    assertTrue(RoutingKey.parse(" 0123456789abcdef0123456789ABCDEF ").isPresent());
    assertFalse(RoutingKey.parse("0123456789abcdef0123456789ABCDE").isPresent());
    assertFalse(RoutingKey.parse("0123456789abcdef0123456789ABCDE!").isPresent());
    assertFalse(RoutingKey.parse(null).isPresent());
  }
}
