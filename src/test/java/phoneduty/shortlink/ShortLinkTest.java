package phoneduty.shortlink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.appengine.api.datastore.DatastoreServiceFactory;
import com.google.appengine.api.datastore.Entity;
import com.google.appengine.api.datastore.KeyFactory;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.support.AppFixture;

public class ShortLinkTest {

  @Rule public final AppFixture app = new AppFixture();

  private static final URI RECORDING =
      URI.create("https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/RE0123456789abcdef0123456789abcdef.mp3");

  @Test
  public void shortLink_redirectsToItsTarget() {
    ShortLink reserved = app.shortLinks.reserve(RECORDING, app.baseUrl());
    String link = reserved.url();
    assertEquals("not stored until asked", 404, app.twilio.getUnsigned(link).statusCode());
    app.shortLinks.store(reserved);
    assertTrue(link, link.matches(java.util.regex.Pattern.quote(app.baseUrl()) + "/r/[A-Za-z0-9]{12}"));

    HttpResponse<String> response = app.twilio.getUnsigned(link);
    assertEquals(302, response.statusCode());
    assertEquals(RECORDING.toString(), response.headers().firstValue("Location").orElseThrow());
    assertEquals("private, no-store", response.headers().firstValue("Cache-Control").orElseThrow());
    assertEquals("without TWILIO_ACCOUNT_SID nothing is fetched", List.of(), app.twilioMedia.requests());
  }

  @Test
  public void shortLink_redirectsUntil90DaysAfterItWasStored_thenAnswers410() throws Exception {
    ShortLink link = app.shortLinks.reserve(RECORDING, "");
    app.shortLinks.store(link);

    app.clock.advance(Duration.ofDays(90));
    assertEquals(302, app.browse(link.url()).statusCode());

    app.clock.advance(Duration.ofSeconds(1));
    HttpResponse<String> expired = app.browse(link.url());
    assertEquals(410, expired.statusCode());
    assertTrue(expired.body(), expired.body().contains("This link has expired"));
    assertTrue(expired.headers().firstValue("Location").isEmpty());
    assertTrue("an expired link resolves to nothing", app.shortLinks.resolve(link.code()).isEmpty());
  }

  @Test
  public void shortLink_storedWithoutACreationTime_doesNotExpire() throws Exception {
    Entity undated = new Entity(KeyFactory.createKey(ShortLinks.KIND, "UndatedLink0"));
    undated.setUnindexedProperty("target", RECORDING.toString());
    DatastoreServiceFactory.getDatastoreService().put(undated);

    app.clock.advance(Duration.ofDays(3650));

    assertEquals(302, app.browse(ShortLinks.PATH + "UndatedLink0").statusCode());
  }

  @Test
  public void shortLinks_forTheSameTarget_areDistinctAndUnguessable() {
    assertNotEquals(app.shortLinks.reserve(RECORDING, "").code(), app.shortLinks.reserve(RECORDING, "").code());
  }

  @Test
  public void unknownOrMalformedCode_is404() {
    assertEquals(404, app.twilio.getUnsigned(app.url("/r/AAAAAAAAAAAA")).statusCode());
    assertEquals(404, app.twilio.getUnsigned(app.url("/r/AAAAAAAAAAAA%27%3B--")).statusCode());
    assertEquals(404, app.twilio.getUnsigned(app.url("/r/")).statusCode());
  }

  @Test
  public void onlyWebTargets_canBeShortened() {
    assertThrows(IllegalArgumentException.class,
        () -> app.shortLinks.reserve(URI.create("javascript:alert(1)"), ""));
  }
}
