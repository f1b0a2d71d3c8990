package phoneduty.forwarding;

import javax.servlet.http.HttpServletRequest;
import phoneduty.twilio.VoiceWebhookServlet;
import phoneduty.twilio.WebhookParameters;

/**
 * {@code /forward} and its steps: {@code /forward/next} (the Dial action),
 * {@code /forward/whisper} (the responder's leg) and {@code /forward/accept} (their key press).
 */
public final class ForwardingServlet extends VoiceWebhookServlet {

  private final Forwarding forwarding;

  public ForwardingServlet() {
    this(new Forwarding());
  }

  public ForwardingServlet(Forwarding forwarding) {
    this.forwarding = forwarding;
  }

  @Override
  protected String answer(HttpServletRequest request) {
    WebhookParameters params = WebhookParameters.of(request);
    String step = request.getPathInfo() == null ? "" : request.getPathInfo();
    switch (step) {
      case "":
      case "/":
        return forwarding.start(params);
      case "/next":
        return forwarding.next(params);
      case "/whisper":
        return forwarding.whisper(params);
      case "/accept":
        return forwarding.accept(params);
      default:
        throw new IllegalArgumentException("No forwarding step " + step);
    }
  }
}
