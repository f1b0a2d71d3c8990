package phoneduty.twilio;

import java.util.StringJoiner;
import phoneduty.pagerduty.PagerDutyEvent;

/** Who called or texted, as Twilio describes them, for incident summaries and details. */
public final class Caller {

  /** Twilio's parameter names and the custom_details names they become. */
  private static final String[][] DETAILS = {
    {"From", "from"},
    {"To", "to"},
    {"CallerName", "caller_name"},
    {"FromCity", "from_city"},
    {"FromState", "from_state"},
    {"FromZip", "from_zip"},
    {"FromCountry", "from_country"},
    {"ToCity", "to_city"},
    {"ToState", "to_state"},
    {"ToCountry", "to_country"},
  };

  private Caller() {}

  /** "+14155550100 (JANE DOE, San Francisco, CA)", or "an unknown number". */
  public static String describe(WebhookParameters params) {
    String number = params.get("From").orElse("an unknown number");
    StringJoiner extra = new StringJoiner(", ");
    params.get("CallerName").ifPresent(extra::add);
    params.get("FromCity").ifPresent(extra::add);
    params.get("FromState").ifPresent(extra::add);
    params.get("FromCountry").ifPresent(extra::add);
    return extra.length() == 0 ? number : number + " (" + extra + ")";
  }

  /** The number that was dialled or texted, as the event's source. */
  public static String line(WebhookParameters params) {
    return params.get("To").map(to -> "phoneduty " + to).orElse("phoneduty");
  }

  public static void addDetails(PagerDutyEvent.Trigger trigger, WebhookParameters params) {
    for (String[] detail : DETAILS) {
      trigger.detail(detail[1], params.get(detail[0]).orElse(null));
    }
  }
}
