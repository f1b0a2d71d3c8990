package phoneduty.oncall;

import java.util.List;
import java.util.Objects;

/**
 * One PagerDuty user on call, with the phone numbers a call can be forwarded to.
 *
 * @param userId the PagerDuty user id (e.g. {@code PXPGF42})
 * @param name the user's name as PagerDuty shows it (the on-call entry's user summary)
 * @param phoneNumbers the user's voice-capable numbers in E.164 ({@code +14155550100}), in the
 *     order PagerDuty lists the contact methods, without repeats; never empty in a found lookup
 */
public record Responder(String userId, String name, List<String> phoneNumbers) {

  public Responder {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(name, "name");
    phoneNumbers = List.copyOf(phoneNumbers);
  }
}
