package phoneduty.callback;

import java.util.List;
import java.util.Optional;
import phoneduty.oncall.EscalationLevel;
import phoneduty.oncall.Responder;
import phoneduty.oncall.RosterView;
import phoneduty.twilio.Webhook;

/**
 * Who is a responder on a line: a number in {@code RESPONDER_NUMBERS}, or the number of a phone or
 * SMS contact method of someone on the roster phoneduty holds for the line's escalation policies
 * and schedules (it never asks PagerDuty while the caller waits). Being on the list is not enough
 * to get the menu: see {@link ResponderDesk} for the caller-ID check.
 */
public final class Responders {

  /** Twilio's {@code StirVerstat} for a call whose caller ID the carrier fully attested (level A). */
  static final String ATTESTED_A = "TN-Validation-Passed-A";

  private final List<String> configured;
  private final RosterView rosters;

  public Responders(List<String> configured, RosterView rosters) {
    this.configured = List.copyOf(configured);
    this.rosters = rosters;
  }

  /** A responder as the menu knows them: their name (or how they were recognised) and number. */
  public record Known(String name, String number) {}

  /** The responder this call or text comes from, if its number is one. */
  public Optional<Known> recognise(Webhook contact) {
    Optional<String> number = contact.caller().number();
    if (number.isEmpty()) {
      return Optional.empty();
    }
    if (configured.contains(number.get())) {
      return Optional.of(new Known("a responder (" + number.get() + ")", number.get()));
    }
    List<String> policies = contact.parameters().all("escalation_policy");
    List<String> schedules = contact.parameters().all("schedule");
    if (policies.isEmpty() && schedules.isEmpty()) {
      return Optional.empty();
    }
    return rosters.latest(policies, schedules).flatMap(roster -> {
      for (EscalationLevel level : roster.levels()) {
        for (Responder responder : level.responders()) {
          if (responder.uses(number.get())) {
            return Optional.of(new Known(responder.name(), number.get()));
          }
        }
      }
      return Optional.empty();
    });
  }

  /** Whether a responder could text or call through this line at all (saves a lookup when none can). */
  public boolean any(Webhook contact) {
    return !configured.isEmpty() || !contact.parameters().all("escalation_policy").isEmpty()
        || !contact.parameters().all("schedule").isEmpty();
  }

  /** Whether the carrier attested this call's caller ID at level A (forged numbers are not). */
  static boolean attested(Webhook call) {
    return call.get("StirVerstat").filter(ATTESTED_A::equals).isPresent();
  }
}
