package phoneduty.transcript;

import javax.servlet.http.HttpServletRequest;
import phoneduty.App;
import phoneduty.twilio.VoiceWebhookServlet;
import phoneduty.twilio.Webhook;

/** {@code POST /transcription?service_key=KEY[&severity=LEVEL]}: the {@code transcribeCallback} of a voicemail. */
public final class TranscriptionServlet extends VoiceWebhookServlet {

  @Override
  protected String answer(HttpServletRequest request, Webhook webhook) {
    return App.of(getServletContext()).transcripts().received(webhook);
  }
}
