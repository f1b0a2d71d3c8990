package phoneduty.voicemail;

import java.util.Optional;
import javax.servlet.http.HttpServletRequest;
import phoneduty.App;
import phoneduty.twilio.VoiceWebhookServlet;
import phoneduty.twilio.Webhook;

/** {@code GET|POST /call?service_key=KEY[&greeting=TEXT][&severity=LEVEL][&gate=true]}. */
public final class CallServlet extends VoiceWebhookServlet {

  @Override
  protected String answer(HttpServletRequest request, Webhook webhook) {
    App app = App.of(getServletContext());
    return app.screening().screenCall("/call", webhook, Optional.ofNullable(request.getQueryString()))
        .orElseGet(() -> app.voicemail().answerCall(webhook));
  }
}
