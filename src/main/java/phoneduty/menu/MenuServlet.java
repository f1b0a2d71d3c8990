package phoneduty.menu;

import java.util.Optional;
import javax.servlet.http.HttpServletRequest;
import phoneduty.App;
import phoneduty.twilio.VoiceWebhookServlet;
import phoneduty.twilio.Webhook;

/** {@code /menu} and {@code /menu/choice} (the menu's gather action). */
public final class MenuServlet extends VoiceWebhookServlet {

  @Override
  protected String answer(HttpServletRequest request, Webhook call) {
    String step = request.getPathInfo() == null ? "" : request.getPathInfo();
    Menus menus = App.of(getServletContext()).menus();
    return switch (step) {
      case "", "/" -> App.of(getServletContext()).screening()
          .screenCall(Menus.PATH, call, Optional.ofNullable(request.getQueryString()))
          .orElseGet(() -> menus.start(call));
      case "/choice" -> menus.choice(call);
      default -> throw new IllegalArgumentException("No menu step " + step);
    };
  }
}
