package phoneduty.pagerduty;

import java.util.regex.Pattern;

/** The shape of a PagerDuty object id (escalation policy, schedule): PABC123. */
public final class PagerDutyId {

  private static final Pattern FORM = Pattern.compile("[A-Z0-9]{2,20}");

  private PagerDutyId() {}

  public static boolean isValid(String id) {
    return id != null && FORM.matcher(id).matches();
  }
}
