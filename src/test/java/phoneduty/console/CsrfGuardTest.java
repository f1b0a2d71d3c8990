package phoneduty.console;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.Test;
import phoneduty.support.TestClock;

public class CsrfGuardTest {

  private static final String SITE = "https://phoneduty.example";
  private final TestClock clock = new TestClock(Instant.parse("2026-11-22T06:00:00Z"));
  private final CsrfGuard guard = new CsrfGuard(() -> new byte[32], clock);

  @Test
  public void tokenOfThisUserFromThisSite_isAccepted() {
    assertEquals(Optional.empty(), guard.refusal(SITE, SITE, "same-origin", guard.token("ada"), "ada"));
    assertEquals(Optional.empty(), guard.refusal(SITE, SITE, null, guard.token("ada"), "ada"));
    assertEquals(Optional.empty(), guard.refusal(SITE, null, "same-origin", guard.token("ada"), "ada"));
  }

  @Test
  public void tokenOfAnotherUser_orForged_orExpired_isRefused() {
    String token = guard.token("ada");
    assertTrue(guard.refusal(SITE, SITE, "same-origin", token, "eve").isPresent());
    assertTrue(guard.refusal(SITE, SITE, "same-origin", token.substring(0, token.length() - 2) + "xx", "ada")
        .isPresent());
    assertTrue(guard.refusal(SITE, SITE, "same-origin", "garbage", "ada").isPresent());
    clock.advance(CsrfGuard.LIFETIME.plus(Duration.ofSeconds(1)));
    assertTrue(guard.refusal(SITE, SITE, "same-origin", token, "ada").isPresent());
  }

  @Test
  public void crossSiteBrowsers_areRefusedEvenWithAGoodToken() {
    String token = guard.token("ada");
    assertTrue(guard.refusal(SITE, "https://evil.example", null, token, "ada").isPresent());
    assertTrue(guard.refusal(SITE, null, "cross-site", token, "ada").isPresent());
    assertTrue(guard.refusal(SITE, null, "same-site", token, "ada").isPresent());
    assertTrue(guard.refusal(SITE, null, null, token, "ada").isPresent());
  }
}
