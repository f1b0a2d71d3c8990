package phoneduty.voicemail;

import javax.servlet.http.HttpServletRequest;
import phoneduty.twilio.VoiceWebhookServlet;
import phoneduty.twilio.WebhookParameters;

/** {@code GET|POST /call?service_key=KEY[&greeting=TEXT][&severity=LEVEL]}. */
public final class CallServlet extends VoiceWebhookServlet {

  private final Voicemail voicemail;

  public CallServlet() {
    this(new Voicemail());
  }

  public CallServlet(Voicemail voicemail) {
    this.voicemail = voicemail;
  }

  @Override
  protected String answer(HttpServletRequest request) {
    return voicemail.answerCall(WebhookParameters.of(request));
  }
}
