package phoneduty.oncall;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.Test;
import phoneduty.pagerduty.Failure;

public class RosterTest {

  private static final Instant AT = Instant.parse("2026-11-22T06:00:00Z");

  @Test
  public void roster_readsBackAsItWasKept() {
    Roster roster = new Roster(List.of(
        EscalationLevel.of(1, List.of(new Responder("PU1", "Alice \"Al\" <Example>", List.of("+14155550001")))),
        EscalationLevel.of(3, List.of(new Responder("PU2", "Bob", List.of("+14155550002", "+14155550003"))))),
        2, "On call: level 1 Alice; level 3 Bob.", AT);

    assertEquals(roster, Roster.fromJson(roster.toJson()));
  }

  @Test
  public void roster_keepsSmsNumbers_andReadsARosterStoredWithoutThem() {
    Roster roster = new Roster(List.of(EscalationLevel.of(1, List.of(
        new Responder("PU1", "Alice", List.of("+14155550001"), List.of("+14155559999"))))), 0, "On call: Alice.", AT);
    assertEquals(roster, Roster.fromJson(roster.toJson()));

    String older = "{\"levels\":[{\"level\":1,\"responders\":[{\"id\":\"PU1\",\"name\":\"Alice\","
        + "\"phones\":[\"+14155550001\"]}]}],\"loops\":0,\"reason\":\"On call: Alice.\","
        + "\"fetched_at\":\"2026-11-22T06:00:00Z\"}";
    Responder alice = Roster.fromJson(older).levels().get(0).responders().get(0);
    assertEquals(List.of("+14155550001"), alice.phoneNumbers());
    assertEquals(List.of(), alice.textNumbers());
  }

  @Test
  public void roster_keepsShiftEnds_andAtALaterInstantLeavesOutWhoseShiftEnded() {
    Instant fetched = Instant.parse("2026-11-22T06:00:00Z");
    Roster roster = new Roster(List.of(
        EscalationLevel.of(1, List.of(new Responder("PU1", "Alice", List.of("+14155550001")))),
        EscalationLevel.of(2, List.of(new Responder("PU2", "Bob", List.of("+14155550002"))))),
        0, "found", fetched, Optional.empty(), java.util.Map.of("PU1", Instant.parse("2026-11-22T06:30:00Z")));

    Roster readBack = Roster.fromJson(roster.toJson());
    assertEquals(roster, readBack);
    assertEquals(roster, readBack.onCallAt(Instant.parse("2026-11-22T06:29:59Z")));
    Roster later = readBack.onCallAt(Instant.parse("2026-11-22T06:30:00Z"));
    assertEquals(1, later.levels().size());
    assertEquals(2, later.levels().get(0).level());
    assertEquals(fetched, later.fetchedAt());
  }

  @Test
  public void rosterOfNobody_saysWhyAndReadsBack() {
    Roster nobody = new Roster(List.of(), 0, "Nobody has a phone.", AT, Optional.of(Failure.NO_PHONE_NUMBERS));
    Roster plain = new Roster(List.of(), 0, "Nobody on call.", AT);

    assertFalse(nobody.anyoneToRing());
    assertEquals(nobody, Roster.fromJson(nobody.toJson()));
    assertEquals(Optional.of(Failure.NOBODY_ON_CALL), plain.emptyBecause());
  }

  @Test
  public void roster_thatIsNotOne_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> Roster.fromJson("{\"levels\": 3}"));
    assertThrows(IllegalArgumentException.class, () -> Roster.fromJson("not json"));
  }

  @Test
  public void rosterKey_sortsAndDeduplicates_soEveryUrlOfALineSharesItsRoster() {
    assertEquals(RosterKey.of(List.of("PB", "PA", "PA"), null), RosterKey.of(List.of(" PA", "PB"), List.of()));
    assertEquals("ep=PA,PB|sch=", RosterKey.of(List.of("PB", "PA"), null).id());
    assertThrows(IllegalArgumentException.class, () -> RosterKey.of(List.of("bad id"), null));
    assertThrows(IllegalArgumentException.class, () -> RosterKey.of(null, null));
  }
}
