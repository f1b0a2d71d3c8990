package phoneduty.voicemail;

import javax.servlet.http.HttpServletRequest;
import phoneduty.App;
import phoneduty.twilio.PublicUrl;
import phoneduty.twilio.VoiceWebhookServlet;
import phoneduty.twilio.Webhook;

/** {@code /record}: the {@code <Record action>} Twilio calls when the message is recorded. */
public final class RecordingServlet extends VoiceWebhookServlet {

  private Voicemail voicemail;
  private PublicUrl publicUrl;

  @Override
  public void init() {
    App app = App.of(getServletContext());
    voicemail = app.voicemail();
    publicUrl = app.publicUrl();
  }

  @Override
  protected String answer(HttpServletRequest request, Webhook webhook) {
    return voicemail.recordingDone(webhook, publicUrl.base(request));
  }
}
