package phoneduty.sms;

import java.io.IOException;
import java.util.Optional;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.App;
import phoneduty.twilio.MessagingTwiml;
import phoneduty.twilio.Twiml;
import phoneduty.twilio.Webhook;
import phoneduty.twilio.WebhookParameters;

/** {@code GET|POST /sms?service_key=KEY[&reply=TEXT][&severity=LEVEL]}. */
public final class SmsServlet extends HttpServlet {

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    App app = App.of(getServletContext());
    Webhook text = Webhook.of(WebhookParameters.of(request));
    if (app.screening().blocksText(text)) {
      Twiml.write(response, MessagingTwiml.sms(Optional.empty()));
      return;
    }
    Optional<String> relayed = app.textRelay().fromResponder(text);
    if (relayed.isPresent()) {
      Twiml.write(response, relayed.get());
      return;
    }
    SmsPager.Answer answer = app.smsPager().receive(text, app.textRelay().replyOf(text));
    if (answer.refusal().isPresent()) {
      response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
      response.setContentType("text/plain; charset=UTF-8");
      response.getWriter().write("Bad request: " + answer.refusal().get() + "\n");
      return;
    }
    Twiml.write(response, answer.twiml().orElseThrow());
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    doGet(request, response);
  }
}
