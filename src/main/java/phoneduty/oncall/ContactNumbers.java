package phoneduty.oncall;

import java.util.List;

/**
 * One PagerDuty user's numbers from their contact methods, in E.164.
 *
 * @param voice the numbers a call may be forwarded to ({@code phone_contact_method}s)
 * @param text the numbers of their {@code sms_contact_method}s: never dialled, only used to
 *     recognise the user when they text or call the line
 */
record ContactNumbers(List<String> voice, List<String> text) {

  static final ContactNumbers NONE = new ContactNumbers(List.of(), List.of());

  ContactNumbers {
    voice = List.copyOf(voice);
    text = List.copyOf(text);
  }
}
