package phoneduty.voicemail;

import javax.servlet.http.HttpServletRequest;
import phoneduty.Settings;
import phoneduty.twilio.PublicUrl;
import phoneduty.twilio.VoiceWebhookServlet;
import phoneduty.twilio.WebhookParameters;

/** {@code /record}: the {@code <Record action>} Twilio calls when the message is recorded. */
public final class RecordingServlet extends VoiceWebhookServlet {

  private final Voicemail voicemail;
  private final Settings settings;

  public RecordingServlet() {
    this(new Voicemail(), Settings.current());
  }

  public RecordingServlet(Voicemail voicemail, Settings settings) {
    this.voicemail = voicemail;
    this.settings = settings;
  }

  @Override
  protected String answer(HttpServletRequest request) {
    return voicemail.recordingDone(
        WebhookParameters.of(request), PublicUrl.base(request, settings.publicBaseUrl()));
  }
}
