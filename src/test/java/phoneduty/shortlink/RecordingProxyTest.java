package phoneduty.shortlink;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.appengine.api.datastore.DatastoreServiceFactory;
import com.google.appengine.api.datastore.Entity;
import com.google.appengine.api.datastore.KeyFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.Settings;
import phoneduty.support.AppFixture;
import phoneduty.support.FakeTwilioMedia;
import phoneduty.support.LogCapture;

/** Private recordings: with TWILIO_ACCOUNT_SID, /r/CODE serves the audio, fetched with basic auth. */
public class RecordingProxyTest {

  @Rule public final AppFixture app = new AppFixture().with(Settings.TWILIO_ACCOUNT_SID, FakeTwilioMedia.ACCOUNT_SID);

  private static final String RECORDING_SID = "RE0123456789abcdef0123456789abcdef";
  private static final String RECORDING_PATH =
      "/2010-04-01/Accounts/" + FakeTwilioMedia.ACCOUNT_SID + "/Recordings/" + RECORDING_SID + ".mp3";
  private static final URI RECORDING = URI.create("https://api.twilio.com" + RECORDING_PATH);
  private static final byte[] AUDIO = audio(10_000);

  @Test
  public void recording_servesTheAudioFetchedWithBasicAuth_cachedPrivately() throws Exception {
    app.twilioMedia.put(RECORDING_SID, AUDIO);

    HttpResponse<byte[]> response = app.browseBytes(link(RECORDING));

    assertEquals(200, response.statusCode());
    assertEquals("audio/mpeg", response.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("private", response.headers().firstValue("Cache-Control").orElseThrow());
    assertEquals("10000", response.headers().firstValue("Content-Length").orElseThrow());
    assertEquals("bytes", response.headers().firstValue("Accept-Ranges").orElseThrow());
    assertTrue("no redirect", response.headers().firstValue("Location").isEmpty());
    assertArrayEquals(AUDIO, response.body());
    List<FakeTwilioMedia.Request> asked = app.twilioMedia.requests();
    assertEquals(1, asked.size());
    assertEquals(RECORDING_PATH, asked.get(0).path());
    assertEquals("Basic " + Base64.getEncoder().encodeToString(
        (FakeTwilioMedia.ACCOUNT_SID + ":" + AppFixture.AUTH_TOKEN).getBytes(StandardCharsets.UTF_8)),
        asked.get(0).authorization());
  }

  @Test
  public void recording_withRange_isRelayedAs206WithThoseBytes() throws Exception {
    app.twilioMedia.put(RECORDING_SID, AUDIO);
    String link = link(RECORDING);

    HttpResponse<byte[]> middle = app.browseBytes(link, "Range", "bytes=1000-1999");
    assertEquals(206, middle.statusCode());
    assertEquals("bytes 1000-1999/10000", middle.headers().firstValue("Content-Range").orElseThrow());
    assertEquals("1000", middle.headers().firstValue("Content-Length").orElseThrow());
    assertEquals("bytes", middle.headers().firstValue("Accept-Ranges").orElseThrow());
    assertEquals("audio/mpeg", middle.headers().firstValue("Content-Type").orElseThrow());
    assertArrayEquals(Arrays.copyOfRange(AUDIO, 1000, 2000), middle.body());
    assertEquals("bytes=1000-1999", app.twilioMedia.requests().get(0).range());

    HttpResponse<byte[]> end = app.browseBytes(link, "Range", "bytes=9000-");
    assertEquals(206, end.statusCode());
    assertEquals("bytes 9000-9999/10000", end.headers().firstValue("Content-Range").orElseThrow());
    assertArrayEquals(Arrays.copyOfRange(AUDIO, 9000, 10_000), end.body());

    HttpResponse<byte[]> past = app.browseBytes(link, "Range", "bytes=20000-");
    assertEquals(416, past.statusCode());
    assertEquals("bytes */10000", past.headers().firstValue("Content-Range").orElseThrow());
  }

  @Test
  public void recording_whenTwilioRedirectsToItsCdn_isFetchedThereWithoutTheCredentials_rangeIncluded() throws Exception {
    app.twilioMedia.put(RECORDING_SID, AUDIO).viaCdn();
    String link = link(RECORDING);

    HttpResponse<byte[]> whole = app.browseBytes(link);
    HttpResponse<byte[]> part = app.browseBytes(link, "Range", "bytes=1000-1999");

    assertEquals(200, whole.statusCode());
    assertArrayEquals(AUDIO, whole.body());
    assertTrue("the player never sees the signed URL", whole.headers().firstValue("Location").isEmpty());
    assertEquals(206, part.statusCode());
    assertEquals("bytes 1000-1999/10000", part.headers().firstValue("Content-Range").orElseThrow());
    assertArrayEquals(Arrays.copyOfRange(AUDIO, 1000, 2000), part.body());
    List<FakeTwilioMedia.Request> asked = app.twilioMedia.requests();
    assertEquals(4, asked.size());
    assertEquals(RECORDING_PATH, asked.get(0).path());
    assertTrue(asked.get(0).authorization().startsWith("Basic "));
    assertTrue(asked.get(1).path(), asked.get(1).path().startsWith("/cdn/" + RECORDING_SID + ".mp3?"));
    assertEquals("the account's credentials stay with api.twilio.com", null, asked.get(1).authorization());
    assertEquals(null, asked.get(3).authorization());
    assertEquals("bytes=1000-1999", asked.get(3).range());
  }

  @Test
  public void recording_whenTwilioRedirectsWithoutALocation_answers502() throws Exception {
    app.twilioMedia.put(RECORDING_SID, AUDIO).answerNext(302);

    HttpResponse<String> response = app.browse(link(RECORDING));

    assertEquals(502, response.statusCode());
    assertTrue(response.body(), response.body().contains("Twilio gave no audio (302)"));
    assertNoStackTrace(response.body());
  }

  @Test
  public void recording_head_answersTheHeadersWithoutDownloadingTheAudio() throws Exception {
    byte[] large = audio(16 * 1024 * 1024); // past what the loopback socket's buffers hold
    app.twilioMedia.put(RECORDING_SID, large);
    String link = link(RECORDING);

    HttpResponse<byte[]> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.url(link)))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());

    assertEquals(200, head.statusCode());
    assertEquals(String.valueOf(large.length), head.headers().firstValue("Content-Length").orElseThrow());
    assertEquals("audio/mpeg", head.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(0, head.body().length);
    assertEquals(0, app.twilioMedia.bodiesSent());
    // The count does see a whole recording go out: a GET's.
    assertArrayEquals(large, app.browseBytes(link).body());
    Instant deadline = Instant.now().plusSeconds(5);
    while (app.twilioMedia.bodiesSent() == 0 && Instant.now().isBefore(deadline)) {
      Thread.onSpinWait();
    }
    assertEquals(1, app.twilioMedia.bodiesSent());
  }

  @Test
  public void recording_withAMalformedRange_isServedWhole_andTheHeaderNotPassedOn() throws Exception {
    app.twilioMedia.put(RECORDING_SID, AUDIO);

    HttpResponse<byte[]> response = app.browseBytes(link(RECORDING), "Range", "lines=1-2");

    assertEquals(200, response.statusCode());
    assertArrayEquals(AUDIO, response.body());
    assertEquals(null, app.twilioMedia.requests().get(0).range());
  }

  @Test
  public void recording_whenTwilioAnswers404_answers404() throws Exception {
    HttpResponse<String> response = app.browse(link(RECORDING));

    assertEquals(404, response.statusCode());
    assertTrue(response.body(), response.body().contains("No such recording"));
    assertEquals(1, app.twilioMedia.requests().size());
  }

  @Test
  public void recording_whenTwilioRefusesTheCredentials_answers502_andTheLogLineHoldsNoToken() throws Exception {
    app.twilioMedia.put(RECORDING_SID, AUDIO).acceptOnly(FakeTwilioMedia.ACCOUNT_SID, "rotated-auth-token");

    HttpResponse<String> response;
    String log;
    try (LogCapture capture = LogCapture.of("phoneduty")) {
      response = app.browse(link(RECORDING));
      log = capture.text();
    }

    assertEquals(502, response.statusCode());
    assertTrue(response.body(), response.body().contains("Twilio refused the account credentials"));
    assertTrue(log, log.contains("Twilio answered 401"));
    assertFalse(log, log.contains(AppFixture.AUTH_TOKEN));
    assertFalse(response.body(), response.body().contains(AppFixture.AUTH_TOKEN));
    assertNoStackTrace(response.body());
  }

  @Test
  public void recording_whenTwilioFails_answers502WithAShortReason() throws Exception {
    app.twilioMedia.put(RECORDING_SID, AUDIO).answerNext(503);

    HttpResponse<String> response = app.browse(link(RECORDING));

    assertEquals(502, response.statusCode());
    assertTrue(response.body(), response.body().contains("Twilio failed (503)"));
    assertNoStackTrace(response.body());
  }

  @Test
  public void recording_whenTwilioDoesNotAnswerInTime_answers502() throws Exception {
    app.twilioMedia.put(RECORDING_SID, AUDIO).hangNext(Duration.ofSeconds(10));

    HttpResponse<String> response = app.browse(link(RECORDING));

    assertEquals(502, response.statusCode());
    assertTrue(response.body(), response.body().contains("Twilio did not answer in time"));
    assertNoStackTrace(response.body());
  }

  @Test
  public void recording_whenTwilioStallsBeforeTheAudioGoesOut_answers502_afterTheReadTimeout() throws Exception {
    app.twilioMedia.put(RECORDING_SID, AUDIO).stallNext(4_000, Duration.ofSeconds(30));
    String link = link(RECORDING);

    HttpResponse<String> response;
    String log;
    try (LogCapture capture = LogCapture.of(ShortLinkServlet.class)) {
      // Without the stall guard the servlet waits the fake's 30 s and this request times out.
      response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.url(link)))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      log = capture.text();
    }

    assertEquals(502, response.statusCode());
    assertTrue(response.body(), response.body().contains("Twilio stopped sending the recording"));
    assertNoStackTrace(response.body());
    assertTrue(log, log.contains("Twilio stopped sending: Twilio sent nothing for 1000 ms"));
  }

  @Test
  public void recording_whenTwilioStallsHalfway_cutsThePlayerOff_neverEndingItAsWhole() throws Exception {
    byte[] large = audio(1024 * 1024); // past the servlet's response buffer: the headers are out
    app.twilioMedia.put(RECORDING_SID, large).stallNext(512 * 1024, Duration.ofSeconds(30));
    String link = link(RECORDING);

    Exception cutOff = null;
    HttpResponse<byte[]> response = null;
    String log;
    try (LogCapture capture = LogCapture.of(ShortLinkServlet.class)) {
      try {
        response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.url(link)))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (java.io.IOException e) {
        cutOff = e;
      }
      log = capture.text();
    }

    assertFalse("the player was kept waiting: " + cutOff, cutOff instanceof java.net.http.HttpTimeoutException);
    assertTrue("a stalled recording must not reach the player as a whole one",
        cutOff != null || response.body().length < large.length);
    assertTrue(log, log.contains("Twilio stopped sending: Twilio sent nothing for 1000 ms"));
  }

  @Test
  public void recording_whenTwilioCannotBeReached_answers502() throws Exception {
    String link = link(RECORDING);
    app.twilioMedia.close();

    HttpResponse<String> response = app.browse(link);

    assertEquals(502, response.statusCode());
    assertTrue(response.body(), response.body().contains("Twilio could not be reached"));
    assertNoStackTrace(response.body());
  }

  @Test
  public void recording_ofAnotherAccount_isRefusedWithoutAskingTwilio() throws Exception {
    app.twilioMedia.put(RECORDING_SID, AUDIO);
    URI otherAccount = URI.create("https://api.twilio.com/2010-04-01/Accounts/ACfedcba9876543210fedcba9876543210"
        + "/Recordings/" + RECORDING_SID + ".mp3");

    HttpResponse<String> response;
    String log;
    try (LogCapture capture = LogCapture.of(RecordingProxy.class)) {
      response = app.browse(link(otherAccount));
      log = capture.text();
    }

    assertEquals(404, response.statusCode());
    assertTrue(log, log.contains("not a recording of this Twilio account"));
    assertEquals(List.of(), app.twilioMedia.requests());
  }

  @Test
  public void recording_storedOnAnotherHost_isRefusedWithoutAskingTwilioOrThatHost() throws Exception {
    app.twilioMedia.put(RECORDING_SID, AUDIO);
    // Written past ShortLinks.store's check, as a forged or corrupted entity would be: the fake
    // itself as the target, which would answer if anybody asked it.
    List<String> targets = List.of(app.twilioMedia.baseUrl() + RECORDING_PATH, "https://evil.example" + RECORDING_PATH,
        "https://api.twilio.com@evil.example" + RECORDING_PATH);
    for (int i = 0; i < targets.size(); i++) {
      String target = targets.get(i);
      String code = "ForgedLink0" + i;
      Entity forged = new Entity(KeyFactory.createKey(ShortLinks.KIND, code));
      forged.setUnindexedProperty("target", target);
      forged.setUnindexedProperty("created", Date.from(app.clock.instant()));
      DatastoreServiceFactory.getDatastoreService().put(forged);

      HttpResponse<String> response = app.browse(ShortLinks.PATH + code);

      assertEquals(target, 404, response.statusCode());
      assertTrue(target, response.headers().firstValue("Location").isEmpty());
    }
    assertEquals(List.of(), app.twilioMedia.requests());
  }

  @Test
  public void recording_pastItsLinksTime_answers410WithoutAskingTwilio() throws Exception {
    app.twilioMedia.put(RECORDING_SID, AUDIO);
    String link = link(RECORDING);
    app.clock.advance(Duration.ofDays(90).plusSeconds(1));

    HttpResponse<String> response = app.browse(link);

    assertEquals(410, response.statusCode());
    assertTrue(response.body(), response.body().contains("This link has expired"));
    assertEquals(List.of(), app.twilioMedia.requests());
  }

  /** Stores a link to the target and gives its path, {@code /r/CODE}. */
  private String link(URI target) {
    ShortLink link = app.shortLinks.reserve(target, "");
    app.shortLinks.store(link);
    return link.url();
  }

  private static void assertNoStackTrace(String body) {
    assertFalse(body, body.contains("Exception"));
    assertFalse(body, body.contains("at phoneduty."));
  }

  private static byte[] audio(int length) {
    byte[] audio = new byte[length];
    for (int i = 0; i < length; i++) {
      audio[i] = (byte) (i * 31 % 251);
    }
    return audio;
  }
}
