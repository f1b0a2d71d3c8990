package phoneduty.shortlink;

import static org.junit.Assert.assertEquals;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.Settings;
import phoneduty.TaskCallerFilter;
import phoneduty.support.AppFixture;

/** LINK_TTL_DAYS reaches the links /r/ serves, and the daily cron job deletes them 30 days after. */
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

  @Test
  public void expiredLinks_areDeletedThirtyDaysAfterTheyExpire_byTheDailyCronJob() throws Exception {
    ShortLink old = app.shortLinks.reserve(RECORDING, "");
    app.shortLinks.store(old);
    app.clock.advance(Duration.ofDays(20));
    ShortLink newer = app.shortLinks.reserve(RECORDING, "");
    app.shortLinks.store(newer);
    app.clock.advance(Duration.ofDays(17).plusSeconds(1)); // old: 7 days of life + 30 kept expired, and a second

    assertEquals("deleted 1 expired short links\n", cron());
    assertEquals("deleted, no longer said to be expired", 404, app.browse(old.url()).statusCode());
    assertEquals("expired 10 days ago: kept", 410, app.browse(newer.url()).statusCode());

    app.clock.advance(Duration.ofDays(20)); // newer: past its 37 days too
    assertEquals("deleted 1 expired short links\n", cron());
    assertEquals(404, app.browse(newer.url()).statusCode());
  }

  private String cron() throws Exception {
    HttpResponse<String> run = app.browse(ShortLinkExpiryServlet.PATH, TaskCallerFilter.CRON_HEADER, "true");
    assertEquals(200, run.statusCode());
    return run.body();
  }
}
