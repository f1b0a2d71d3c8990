package phoneduty.console;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.Test;
import phoneduty.calllog.LineEntry;
import phoneduty.oncall.EscalationLevel;
import phoneduty.oncall.Responder;
import phoneduty.oncall.Roster;

/** The dashboard's roster of a forwarding line, as {@code oncall.RosterView} will give it. */
public class DashboardPageTest {

  private static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");
  private static final LineEntry FORWARDING = new LineEntry("0123456789abcdef", "/forward", "…CDEF", Map.of(),
      List.of("PABC123"), List.of(), NOW);

  private static String render(Optional<Roster> roster) {
    return DashboardPage.render(List.of(new DashboardPage.LineView(FORWARDING, List.of(), roster)), NOW,
        "admin@example.com", "token");
  }

  @Test
  public void roster_showsWhoIsOnCallAtEachLevelWithItsAge() {
    Roster roster = new Roster(List.of(
        EscalationLevel.of(1, List.of(new Responder("PU00001", "Alice Example", List.of("+14155550001")))),
        EscalationLevel.of(2, List.of(new Responder("PU00002", "Bob <b>Example</b>", List.of("+14155550002"))))),
        1, "2 levels on call", NOW.minus(Duration.ofMinutes(3)));
    String html = render(Optional.of(roster));
    assertTrue(html, html.contains("roster fetched 3 min ago"));
    assertTrue(html, html.contains("<li>Level 1: Alice Example <span class=\"muted\">(+14155550001)</span></li>"));
    assertTrue(html, html.contains("Level 2: Bob &lt;b&gt;Example&lt;/b&gt;"));
    assertTrue(html, html.contains("then round all levels 1 more time"));
    assertFalse(html, html.contains("<b>"));
  }

  @Test
  public void noRoster_saysNoneIsKnownYet() {
    assertTrue(render(Optional.empty()).contains("no roster known yet"));
  }

  @Test
  public void lineWithoutAValidKey_offersNoTestPage() {
    LineEntry keyless = new LineEntry("0123456789abcdef", "/call", "(no valid key)", Map.of(), List.of(), List.of(),
        NOW);
    String html = DashboardPage.render(List.of(new DashboardPage.LineView(keyless, List.of(), Optional.empty())), NOW,
        "admin@example.com", "token");
    assertFalse(html.contains("Send a test page"));
    assertTrue(html.contains("no valid service key"));
  }
}
