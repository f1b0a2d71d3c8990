package phoneduty.shortlink;

import static org.junit.Assert.assertEquals;

import java.net.URI;
import java.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.Settings;
import phoneduty.support.AppFixture;

/** LINK_TTL_DAYS reaches the links /r/ serves. */
public class LinkTtlTest {

  @Rule public final AppFixture app = new AppFixture().with(Settings.LINK_TTL_DAYS, "7");

  private static final URI RECORDING =
      URI.create("https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef.mp3");

  @Test
  public void shortLink_withLinkTtlDays7_answers410After7Days() throws Exception {
    ShortLink link = app.shortLinks.reserve(RECORDING, "");
    app.shortLinks.store(link);

    app.clock.advance(Duration.ofDays(7));
    assertEquals(302, app.browse(link.url()).statusCode());

    app.clock.advance(Duration.ofSeconds(1));
    assertEquals(410, app.browse(link.url()).statusCode());
  }
}
