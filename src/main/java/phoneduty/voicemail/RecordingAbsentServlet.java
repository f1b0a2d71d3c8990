package phoneduty.voicemail;

import javax.servlet.http.HttpServletRequest;
import phoneduty.App;
import phoneduty.twilio.VoiceWebhookServlet;
import phoneduty.twilio.Webhook;

/** {@code /recording-absent}: Twilio's recording status callback for a recording it did not keep. */
public final class RecordingAbsentServlet extends VoiceWebhookServlet {

  @Override
  protected String answer(HttpServletRequest request, Webhook webhook) {
    return App.of(getServletContext()).voicemail().recordingAbsent(webhook);
  }
}
