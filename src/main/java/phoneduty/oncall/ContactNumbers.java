package phoneduty.oncall;

import java.util.List;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

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

  /** As kept in Memcache, spelled as in {@link Roster#toJson()}. */
  String toJson() {
    return new JSONObject().put("phones", new JSONArray(voice)).put("texts", new JSONArray(text)).toString();
  }

  /**
   * Reads back {@link #toJson()}.
   *
   * @throws IllegalArgumentException if it is not a user's contact numbers
   */
  static ContactNumbers fromJson(String json) {
    try {
      JSONObject numbers = new JSONObject(json);
      return new ContactNumbers(Roster.strings(numbers.getJSONArray("phones")),
          Roster.strings(numbers.getJSONArray("texts")));
    } catch (JSONException e) {
      throw new IllegalArgumentException("not contact numbers: " + e.getMessage(), e);
    }
  }
}
