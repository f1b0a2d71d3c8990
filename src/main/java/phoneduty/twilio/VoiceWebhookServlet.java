package phoneduty.twilio;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.text.LogSafe;

/**
 * A voice webhook, for GET and POST alike (Twilio numbers may be set to either), that always
 * answers TwiML: whatever goes wrong, the caller hears a sentence, never Twilio's
 * "application error".
 */
public abstract class VoiceWebhookServlet extends HttpServlet {

  private static final Logger log = Logger.getLogger(VoiceWebhookServlet.class.getName());

  /** The TwiML for this call. */
  protected abstract String answer(HttpServletRequest request, Webhook webhook);

  @Override
  protected final void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String twiml;
    Speech speech = Speech.DEFAULT;
    try {
      Webhook webhook = Webhook.of(WebhookParameters.of(request));
      speech = webhook.speech();
      twiml = answer(request, webhook);
    } catch (RuntimeException e) {
      log.log(Level.SEVERE, "Voice webhook " + LogSafe.of(request.getRequestURI()) + " failed; told the caller", e);
      twiml = Twiml.technicalFailure(speech);
    }
    Twiml.write(response, twiml);
  }

  @Override
  protected final void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    doGet(request, response);
  }
}
