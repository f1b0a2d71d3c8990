package phoneduty.twilio;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.Test;

/** Which stored targets the media client would fetch: recordings of this account on api.twilio.com only. */
public class TwilioMediaClientTest {

  private static final String ACCOUNT = "AC0123456789abcdef0123456789abcdef";
  private static final String PATH = "/2010-04-01/Accounts/" + ACCOUNT + "/Recordings/RE0123456789abcdef0123456789abcdef";
  private final TwilioMediaClient client =
      new TwilioMediaClient(ACCOUNT, "token", URI.create("http://127.0.0.1:9"), Duration.ofSeconds(1));

  @Test
  public void mediaPath_ofThisAccountsRecording_isItsMp3() {
    assertEquals(Optional.of(PATH + ".mp3"), client.mediaPath(URI.create("https://api.twilio.com" + PATH + ".mp3")));
    assertEquals(Optional.of(PATH + ".mp3"), client.mediaPath(URI.create("https://api.twilio.com" + PATH)));
  }

  @Test
  public void mediaPath_ofAnythingElse_isEmpty() {
    for (String target : List.of(
        "http://api.twilio.com" + PATH + ".mp3",
        "https://evil.example" + PATH + ".mp3",
        "https://api.twilio.com.evil.example" + PATH + ".mp3",
        "https://api.twilio.com@evil.example" + PATH + ".mp3",
        "https://user:pass@api.twilio.com" + PATH + ".mp3",
        "https://api.twilio.com:8443" + PATH + ".mp3",
        "https://api.twilio.com" + PATH + ".mp3?x=1",
        "https://api.twilio.com" + PATH + ".mp3#x",
        "https://api.twilio.com" + PATH + ".wav",
        "https://api.twilio.com" + PATH + "/../../Calls.json",
        "https://api.twilio.com" + PATH.replace(ACCOUNT, "ACfedcba9876543210fedcba9876543210") + ".mp3",
        "https://api.twilio.com" + PATH.replace(ACCOUNT, "AC" + ACCOUNT.substring(2).toUpperCase()) + ".mp3")) {
      assertTrue(target, client.mediaPath(URI.create(target)).isEmpty());
    }
    assertTrue(client.mediaPath(null).isEmpty());
  }

  @Test
  public void fetch_ofAnythingButARecordingPath_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> client.fetch("/2010-04-01/Accounts/" + ACCOUNT + "/Calls.json",
        Optional.empty()));
  }
}
