package phoneduty.oncall;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The people on call at one escalation level, to be rung together.
 *
 * @param level PagerDuty's escalation level number (1 is the first to be paged). Numbers are kept
 *     as PagerDuty gives them, so a lookup may hold levels 1 and 3 when nobody at level 2 has a
 *     phone number.
 * @param responders the users at this level that have at least one phone number, in PagerDuty's
 *     order; never empty
 * @param phoneNumbers every responder's numbers in E.164, responder by responder, without repeats,
 *     at most {@link #MAX_PHONE_NUMBERS} (what one Twilio {@code <Dial>} can ring at once)
 */
public record EscalationLevel(int level, List<Responder> responders, List<String> phoneNumbers) {

  /** Twilio's {@code <Dial>} rings at most ten {@code <Number>}s at once. */
  public static final int MAX_PHONE_NUMBERS = 10;

  public EscalationLevel {
    if (level < 0) {
      throw new IllegalArgumentException("escalation level " + level);
    }
    responders = List.copyOf(responders);
    phoneNumbers = List.copyOf(phoneNumbers);
    if (phoneNumbers.size() > MAX_PHONE_NUMBERS) {
      throw new IllegalArgumentException("more than " + MAX_PHONE_NUMBERS + " phone numbers");
    }
  }

  /** A level whose numbers are its responders' numbers, deduplicated and capped. */
  public static EscalationLevel of(int level, List<Responder> responders) {
    Set<String> numbers = new LinkedHashSet<>();
    for (Responder responder : responders) {
      numbers.addAll(responder.phoneNumbers());
    }
    List<String> capped = new ArrayList<>(numbers);
    return new EscalationLevel(level, responders,
        capped.size() > MAX_PHONE_NUMBERS ? capped.subList(0, MAX_PHONE_NUMBERS) : capped);
  }
}
