package phoneduty.forwarding;

import java.util.Optional;
import javax.servlet.http.HttpServletRequest;
import phoneduty.App;
import phoneduty.twilio.VoiceWebhookServlet;
import phoneduty.twilio.Webhook;

/**
 * {@code /forward} and its steps: {@code /forward/next} (the Dial action),
 * {@code /forward/whisper} (the responder's leg) and {@code /forward/accept} (their key press).
 */
public final class ForwardingServlet extends VoiceWebhookServlet {

  @Override
  protected String answer(HttpServletRequest request, Webhook call) {
    String step = request.getPathInfo() == null ? "" : request.getPathInfo();
    Forwarding forwarding = App.of(getServletContext()).forwarding();
    return switch (step) {
      case "", "/" -> App.of(getServletContext()).screening()
          .screenCall(Forwarding.PATH, call, Optional.ofNullable(request.getQueryString()))
          .orElseGet(() -> forwarding.start(call));
      case "/next" -> forwarding.next(call);
      case "/whisper" -> forwarding.whisper(call);
      case "/accept" -> forwarding.accept(call);
      default -> throw new IllegalArgumentException("No forwarding step " + step);
    };
  }
}
