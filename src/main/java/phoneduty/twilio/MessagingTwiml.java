package phoneduty.twilio;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.messaging.Message;
import java.util.Optional;
import phoneduty.text.Text;
import phoneduty.text.XmlSafe;

/** The answers to SMS webhooks, with Twilio's builders (the voice answers are {@link Twiml}'s). */
public final class MessagingTwiml {

  private MessagingTwiml() {}

  /** The answer to an SMS webhook: nothing, or the configured reply. */
  public static String sms(Optional<String> reply) {
    return Twiml.xml(withReply(new MessagingResponse.Builder(), reply).build());
  }

  /**
   * Relays a text from the line's number to {@code to}, and tells the sender it went.
   *
   * @param text caller-controlled: made safe for XML here, and cut to one long SMS
   */
  public static String relay(String to, String text, Optional<String> confirmation) {
    MessagingResponse.Builder response = new MessagingResponse.Builder()
        .message(new Message.Builder(Text.cut(XmlSafe.of(text), Twiml.MAX_SMS_CHARS)).to(to).build());
    return Twiml.xml(withReply(response, confirmation).build());
  }

  /** A message back to the sender, unless there is none (or it is blank once made safe for XML). */
  private static MessagingResponse.Builder withReply(MessagingResponse.Builder response, Optional<String> reply) {
    reply.map(XmlSafe::of).filter(text -> !text.isBlank())
        .ifPresent(text -> response.message(new Message.Builder(Text.cut(text, Twiml.MAX_SMS_CHARS)).build()));
    return response;
  }
}
