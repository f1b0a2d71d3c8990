package phoneduty.voicemail;

import javax.servlet.http.HttpServletRequest;
import phoneduty.App;
import phoneduty.twilio.VoiceWebhookServlet;
import phoneduty.twilio.Webhook;

/** {@code GET|POST /call?service_key=KEY[&greeting=TEXT][&severity=LEVEL]}. */
public final class CallServlet extends VoiceWebhookServlet {

  @Override
  protected String answer(HttpServletRequest request, Webhook webhook) {
    return App.of(getServletContext()).voicemail().answerCall(webhook);
  }
}
