package phoneduty.callback;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.Settings;
import phoneduty.support.AppFixture;
import phoneduty.support.EventsApiSchema;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/** A responder texts the line; it goes, from the line's number, to someone who contacted it; replies come back. */
public class TextRelayTest {

  static final String RESPONDER = ResponderDeskTest.RESPONDER;
  static final String KEY = AppFixture.SERVICE_KEY;

  @Rule public final AppFixture app = new AppFixture().with(Settings.RESPONDER_NUMBERS, RESPONDER);

  private Xml text(int n, String from, String body) {
    return Xml.parse(app.twilio.post(app.url("/sms?service_key=" + KEY),
        TwilioClient.incomingSms(ResponderDeskTest.sid("SM", n), from, body)).body());
  }

  @Test
  public void aResponderText_goesToTheLatestTexter_fromTheLine_andTheirReplyComesBackIntoTheSameIncident()
      throws Exception {
    text(1, "+14155550100", "checkout is down");
    app.runQueuedTasks();

    Xml relayed = text(2, RESPONDER, "On it, calling you in 5 min");
    assertEquals("+14155550100", relayed.text("/Response/Message[1]/@to"));
    assertEquals("On it, calling you in 5 min", relayed.text("/Response/Message[1]"));
    assertEquals("Sent to +14155550100", relayed.text("/Response/Message[2]"));
    app.runQueuedTasks();
    assertEquals("the responder's text is not paged", 1, app.pagerDuty.events().size());
    JSONObject change = app.pagerDuty.changes().get(0);
    EventsApiSchema.assertValidChange(change);
    assertFalse("no SMS text in the change event", change.toString().contains("calling you"));

    app.clock.advance(Duration.ofMinutes(30));
    Xml reply = text(3, "+14155550100", "thanks!");
    assertEquals(RESPONDER, reply.text("/Response/Message/@to"));
    assertEquals("From +14155550100: thanks!", reply.text("/Response/Message"));
    app.runQueuedTasks();
    List<JSONObject> events = app.pagerDuty.events();
    assertEquals(2, events.size());
    assertEquals(ResponderDeskTest.sid("SM", 1), events.get(1).getString("dedup_key"));
  }

  @Test
  public void aTextStartingWithANumber_goesToThatNumber_ifItCalledTheLine() throws Exception {
    ResponderDeskTest.voicemail(app, 1, "+14155550101");
    text(2, "+14155550102", "hello");
    app.runQueuedTasks();
    Xml relayed = text(3, RESPONDER, "+14155550101 Calling you now");
    assertEquals("+14155550101", relayed.text("/Response/Message[1]/@to"));
    assertEquals("Calling you now", relayed.text("/Response/Message[1]"));
  }

  @Test
  public void aTextToANumberThatNeverContactedTheLine_isRefusedWithTheReason() throws Exception {
    text(1, "+14155550100", "checkout is down");
    app.runQueuedTasks();
    Xml refused = text(2, RESPONDER, "+19995550100 call me");
    assertEquals(0, refused.count("//Message[@to]"));
    assertEquals("Not sent: +19995550100 has not called or texted this line in the last 24 hours.",
        refused.text("/Response/Message"));
  }

  @Test
  public void afterAnHour_aTextersReply_isPagedAsUsual_notRelayed() throws Exception {
    text(1, "+14155550100", "checkout is down");
    app.runQueuedTasks();
    text(2, RESPONDER, "On it");
    app.clock.advance(Duration.ofMinutes(61));
    Xml reply = text(3, "+14155550100", "still down");
    assertEquals(0, reply.count("//Message[@to]"));
  }
}
