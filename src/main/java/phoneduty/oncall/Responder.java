package phoneduty.oncall;

import java.util.List;
import java.util.Objects;

/**
 * One PagerDuty user on call, with the phone numbers a call can be forwarded to.
 *
 * @param userId the PagerDuty user id (e.g. {@code PXPGF42})
 * @param name the user's name as PagerDuty shows it (the on-call entry's user summary)
 * @param phoneNumbers the user's voice-capable numbers in E.164 ({@code +14155550100}), with an
 *     extension after a comma if PagerDuty has one ({@code +14155550100,,42}), in the order
 *     PagerDuty lists the contact methods, without repeats; never empty in a found lookup
 * @param textNumbers the numbers of the user's SMS contact methods: never dialled, only used to
 *     recognise them when they text or call the line
 */
public record Responder(String userId, String name, List<String> phoneNumbers, List<String> textNumbers) {

  public Responder {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(name, "name");
    phoneNumbers = List.copyOf(phoneNumbers);
    textNumbers = List.copyOf(textNumbers);
  }

  /** A responder without SMS contact methods. */
  public Responder(String userId, String name, List<String> phoneNumbers) {
    this(userId, name, phoneNumbers, List.of());
  }

  /** Whether this is one of the responder's numbers, for a call or for texts. */
  public boolean uses(String number) {
    return textNumbers.contains(number)
        || phoneNumbers.stream().map(PhoneNumbers::beforeExtension).anyMatch(number::equals);
  }
}
