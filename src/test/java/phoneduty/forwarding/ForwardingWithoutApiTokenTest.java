package phoneduty.forwarding;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.oncall.OnCallDirectory;
import phoneduty.support.AppFixture;
import phoneduty.support.LogCapture;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

public class ForwardingWithoutApiTokenTest {

  @Rule public final AppFixture app = new AppFixture().with("PAGERDUTY_API_TOKEN", "");

  @Test
  public void noApiToken_isSpokenAndLoggedAndTheCallerLeavesAVoicemail() throws Exception {
    try (LogCapture log = LogCapture.of(OnCallDirectory.class)) {
      HttpResponse<String> response = app.twilio.post(app.url(ForwardingTest.FORWARD),
          TwilioClient.incomingCall(ForwardingTest.CALL_SID, ForwardingTest.CALLER));

      Xml twiml = Xml.parse(response.body());
      assertEquals(200, response.statusCode());
      assertEquals(Forwarding.FORWARDING_FAILED, twiml.text("/Response/Say[1]"));
      assertEquals(1, twiml.count("/Response/Record"));
      assertTrue(log.text(), log.text().contains("PAGERDUTY_API_TOKEN"));
      assertEquals("no request without a token", 0, app.pagerDutyApi.count());
      app.runQueuedTasks();
      String summary = app.pagerDuty.events().get(0).getJSONObject("payload").getString("summary");
      assertTrue(summary, summary.contains("PAGERDUTY_API_TOKEN"));
    }
  }
}
