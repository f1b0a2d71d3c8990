package phoneduty.voicemail;

import javax.servlet.http.HttpServletRequest;
import phoneduty.App;
import phoneduty.twilio.VoiceWebhookServlet;
import phoneduty.twilio.Webhook;

/** {@code GET|POST /call?service_key=KEY[&greeting=TEXT][&severity=LEVEL]}. */
public final class CallServlet extends VoiceWebhookServlet {

  private Voicemail voicemail;

  /** For the container: the voicemail line comes from the app's wiring at {@link #init()}. */
  public CallServlet() {}

  public CallServlet(Voicemail voicemail) {
    this.voicemail = voicemail;
  }

  @Override
  public void init() {
    if (voicemail == null) {
      voicemail = App.of(getServletContext()).voicemail();
    }
  }

  @Override
  protected String answer(HttpServletRequest request, Webhook webhook) {
    return voicemail.answerCall(webhook);
  }
}
