package phoneduty.twilio;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Who called or texted, as Twilio describes them: the number and, when Twilio knows them (caller
 * name lookup, number geography), a name and a place.
 */
public record Caller(Optional<String> number, Optional<String> name, Optional<String> city,
    Optional<String> state, Optional<String> country) {

  /**
   * Twilio's {@code From} for a withheld caller ID: "anonymous" since May 2023; before that,
   * numbers that spell ANONYMOUS, RESTRICTED, BLOCKED, UNKNOWN and UNAVAILABLE on a keypad.
   */
  private static final Set<String> WITHHELD = Set.of("anonymous", "restricted", "blocked", "unknown", "unavailable",
      "private", "+266696687", "+7378742833", "+2562533", "+8656696", "+86282452253");

  /** Whether a {@code From} names one caller: everybody who withholds their number shares the same one. */
  public static boolean identifiesOneCaller(String from) {
    String value = from.strip().toLowerCase(Locale.ROOT);
    return !value.isEmpty() && !WITHHELD.contains(value);
  }

  static Caller of(WebhookParameters params) {
    return new Caller(params.get("From"), params.get("CallerName"), params.get("FromCity"),
        params.get("FromState"), params.get("FromCountry"));
  }

  /** "+14155550100 (JANE DOE, San Francisco, CA, US)", or "an unknown number": for summaries. */
  public String describe() {
    StringJoiner extra = new StringJoiner(", ");
    name.ifPresent(extra::add);
    city.ifPresent(extra::add);
    state.ifPresent(extra::add);
    country.ifPresent(extra::add);
    String shown = number.orElse("an unknown number");
    return extra.length() == 0 ? shown : shown + " (" + extra + ")";
  }
}
