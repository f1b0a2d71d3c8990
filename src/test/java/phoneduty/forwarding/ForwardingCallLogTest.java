package phoneduty.forwarding;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.calllog.PageStatus;
import phoneduty.calllog.TimelineEntry;
import phoneduty.support.AppFixture;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/** A forwarded call's steps in the call log: whom it rang, how each ring ended, who accepted. */
public class ForwardingCallLogTest {

  @Rule public final AppFixture app = new AppFixture();

  private static final String SID = ForwardingTest.CALL_SID;
  private static final String CALLER = ForwardingTest.CALLER;

  @Before
  public void twoLevels() {
    app.pagerDutyApi.aliceThenBob(ForwardingTest.POLICY);
  }

  private Xml post(String pathAndQuery, Map<String, String> params) {
    return Xml.parse(app.twilio.post(app.url(pathAndQuery), params).body());
  }

  private Map<String, String> dialEnded(String status, boolean bridged) {
    Map<String, String> params = TwilioClient.incomingCall(SID, CALLER);
    params.put("DialCallStatus", status);
    params.put("DialBridged", Boolean.toString(bridged));
    return params;
  }

  private List<String> steps() throws Exception {
    return app.callLog().timeline(SID).stream().map(TimelineEntry::step)
        .map(s -> s.name() + (s.name().equals("rang") || s.name().equals("accepted") ? ": " + s.detail() : ""))
        .toList();
  }

  @Test
  public void acceptedCall_showsWhomItRangAndWhoAccepted() throws Exception {
    Xml ring = post(ForwardingTest.FORWARD, TwilioClient.incomingCall(SID, CALLER));
    Xml whisper = post(ForwardingTest.relative(ring.text("/Response/Dial/Number/@url")),
        TwilioClient.responderLeg(SID, CALLER, "+14155550001"));
    Map<String, String> pressed = TwilioClient.responderLeg(SID, CALLER, "+14155550001");
    pressed.put("Digits", "1");
    post(ForwardingTest.relative(whisper.text("/Response/Gather/@action")), pressed);
    post(ForwardingTest.relative(ring.text("/Response/Dial/@action")), dialEnded("completed", true));
    app.runQueuedTasks();

    assertEquals(List.of("call arrived", "rang: level 1: Alice Example at +14155550001",
        "accepted: by +14155550001", "forwarding ended", "change event queued", "change event delivered"), steps());
    assertEquals("an answered call opens no incident", PageStatus.NONE,
        app.callLog().find(SID).orElseThrow().page().status());
  }

  @Test
  public void unansweredCall_showsEachRingEndingThenVoicemail() throws Exception {
    Xml level1 = post(ForwardingTest.FORWARD, TwilioClient.incomingCall(SID, CALLER));
    Xml level2 = post(ForwardingTest.relative(level1.text("/Response/Dial/@action")), dialEnded("no-answer", false));
    Xml voicemail = post(ForwardingTest.relative(level2.text("/Response/Dial/@action")), dialEnded("busy", false));
    post(voicemail.text("/Response/Record/@action"), TwilioClient.recordingDone(SID, CALLER, 20));
    app.runQueuedTasks();

    assertEquals(List.of("call arrived", "rang: level 1: Alice Example at +14155550001",
        "ring ended", "rang: level 2: Bob Example at +14155550002", "ring ended", "sent to voicemail",
        "voicemail left", "page queued", "page delivered"), steps());
    assertEquals("/forward", app.callLog().find(SID).orElseThrow().endpoint());
  }

  @Test
  public void callerHangingUpWhileItRings_showsTheMissedCallAndItsPage() throws Exception {
    Xml ring = post(ForwardingTest.FORWARD, TwilioClient.incomingCall(SID, CALLER));
    Map<String, String> hungUp = dialEnded("no-answer", false);
    hungUp.put("CallStatus", "completed");
    post(ForwardingTest.relative(ring.text("/Response/Dial/@action")), hungUp);
    app.runQueuedTasks();

    assertEquals(List.of("call arrived", "rang: level 1: Alice Example at +14155550001", "ring ended",
        "missed call", "page queued", "page delivered"), steps());
    assertEquals(PageStatus.DELIVERED, app.callLog().find(SID).orElseThrow().page().status());
  }
}
