package phoneduty.oncall;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.json.JSONArray;
import org.json.JSONObject;
import phoneduty.text.Text;

/**
 * The numbers a call may be forwarded to, from a PagerDuty user's contact methods.
 *
 * <p>Only {@code phone_contact_method}s are dialled (never SMS, email, push or WhatsApp), skipping those
 * PagerDuty marks {@code blacklisted} or not {@code enabled}, as E.164: {@code "+" + country_code +
 * the address's digits} (7 to 15 digits in all). PagerDuty takes an extension after a comma
 * ({@code 4155550123,,42}: each comma a one-second pause); a voice number keeps it in that form
 * ({@code +14155550123,,42}) for the call to dial after the line answers, and an SMS number drops it.
 * Numbers that start with a blocked prefix —
 * premium-rate and satellite services by default ({@link #DEFAULT_BLOCKED_PREFIXES}), plus the
 * {@code BLOCKED_DIAL_PREFIXES} setting — are never dialled: a contact method is account data, and
 * one typo or one compromised account must not make the line run up a premium bill.
 *
 * <p>{@code sms_contact_method}s are read too, by the same rules, but only so that the line
 * recognises a responder who texts or calls it from that number ({@code callback.Responders}).
 */
public final class PhoneNumbers {

  /**
   * US/Canada premium-rate (900, 976), the ITU's international premium-rate service (+979),
   * Inmarsat (+870), global mobile satellite systems such as Iridium and Thuraya (+881),
   * international networks (+882, +883), and UK premium-rate (09…: +449).
   */
  public static final List<String> DEFAULT_BLOCKED_PREFIXES =
      List.of("+1900", "+1976", "+979", "+870", "+881", "+882", "+883", "+449");

  private static final Logger log = Logger.getLogger(PhoneNumbers.class.getName());

  private final List<String> blockedPrefixes;

  /** @param extraBlockedPrefixes added to the defaults */
  public PhoneNumbers(List<String> extraBlockedPrefixes) {
    List<String> all = new ArrayList<>(DEFAULT_BLOCKED_PREFIXES);
    all.addAll(extraBlockedPrefixes);
    this.blockedPrefixes = List.copyOf(all);
  }

  /** A user's dialable voice numbers and SMS numbers, each in E.164, in order, without repeats. */
  ContactNumbers of(String userId, JSONArray contactMethods) {
    return new ContactNumbers(numbers(userId, contactMethods, "phone_contact_method"),
        numbers(userId, contactMethods, "sms_contact_method"));
  }

  private List<String> numbers(String userId, JSONArray contactMethods, String type) {
    Set<String> numbers = new LinkedHashSet<>();
    for (int i = 0; i < contactMethods.length(); i++) {
      JSONObject method = contactMethods.optJSONObject(i);
      if (method == null
          || !type.equals(method.optString("type"))
          || method.optBoolean("blacklisted", false)
          || !method.optBoolean("enabled", true)) {
        continue;
      }
      String address = method.optString("address", "");
      Optional<String> extension = "phone_contact_method".equals(type) ? extension(address) : Optional.empty();
      e164(method.optInt("country_code", 0), address).map(number -> number + extension.orElse("")).ifPresent(number -> {
        if (isBlocked(number)) {
          log.warning("Not using a contact method of user " + userId + ": its number starts with a blocked"
              + " premium-rate or satellite prefix (" + Text.cut(number, 5) + "…)");
        } else {
          numbers.add(number);
        }
      });
    }
    return new ArrayList<>(numbers);
  }

  boolean isBlocked(String e164) {
    return blockedPrefixes.stream().anyMatch(e164::startsWith);
  }

  /** The number before any extension, in E.164, if it is one. */
  static Optional<String> e164(int countryCode, String address) {
    String digits = beforeExtension(address).replaceAll("[^0-9]", "");
    String number = countryCode + digits;
    if (countryCode < 1 || countryCode > 1999 || digits.isEmpty() || number.length() < 7 || number.length() > 15) {
      return Optional.empty();
    }
    return Optional.of("+" + number);
  }

  /**
   * The extension part of an address, as pauses and keys to dial once the line answers: from the
   * first comma on, keeping commas, digits, {@code *} and {@code #}; empty when there is none.
   */
  static Optional<String> extension(String address) {
    int comma = address.indexOf(',');
    String rest = comma < 0 ? "" : address.substring(comma).replaceAll("[^0-9,*#]", "");
    return rest.chars().anyMatch(Character::isDigit) ? Optional.of(rest) : Optional.empty();
  }

  /** The part of an address or dial string before its extension: what is dialled first. */
  static String beforeExtension(String address) {
    int comma = address.indexOf(',');
    return comma < 0 ? address : address.substring(0, comma);
  }
}
