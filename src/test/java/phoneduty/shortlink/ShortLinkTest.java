package phoneduty.shortlink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
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
