package phoneduty.voicemail;

import javax.servlet.http.HttpServletRequest;
import phoneduty.App;
import phoneduty.twilio.VoiceWebhookServlet;
import phoneduty.twilio.Webhook;

/** {@code /record}: the {@code <Record action>} Twilio calls when the message is recorded. */
public final class RecordingServlet extends VoiceWebhookServlet {

  @Override
  protected String answer(HttpServletRequest request, Webhook webhook) {
    App app = App.of(getServletContext());
    return app.voicemail().recordingDone(webhook, app.publicUrl().base(request));
  }
}
