package phoneduty.console;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import phoneduty.pagerduty.PagerDutyId;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.pagerduty.Severity;

/**
 * The URL builder's logic: from a form's answers, the exact webhook URL Twilio is to call, checked
 * as phoneduty checks it when Twilio calls (the key by {@link RoutingKey#check}, ids by {@link
 * PagerDutyId}, severity by {@link Severity#parse}).
 */
final class LineBuilder {

  /** What kind of line, and the path Twilio calls. */
  enum Type {
    VOICEMAIL("voicemail", "/call", "Voice: “A call comes in”"),
    SMS("sms", "/sms", "Messaging: “A message comes in”"),
    FORWARD("forward", "/forward", "Voice: “A call comes in”");

    final String code;
    final String path;
    final String twilioSetting;

    Type(String code, String path, String twilioSetting) {
      this.code = code;
      this.path = path;
      this.twilioSetting = twilioSetting;
    }

    static Optional<Type> parse(String code) {
      return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
    }
  }

  /** The URL, or the problems that keep it from working; one of the two is non-empty. */
  record Result(Type type, Optional<String> url, List<String> problems) {}

  private LineBuilder() {}

  static Result build(Type type, Map<String, String> form, String baseUrl) {
    List<String> problems = new ArrayList<>();
    StringJoiner query = new StringJoiner("&");
    if (type == Type.FORWARD) {
      List<String> policies = ids(form.get("escalation_policy"));
      List<String> schedules = ids(form.get("schedule"));
      if (policies.isEmpty() && schedules.isEmpty()) {
        problems.add("Forwarding needs an escalation policy id (or a schedule id) to know whom to ring.");
      }
      policies.stream().filter(id -> !PagerDutyId.isValid(id)).forEach(id ->
          problems.add("Escalation policy id “" + id + "” is not a PagerDuty id (such as PABC123)."));
      schedules.stream().filter(id -> !PagerDutyId.isValid(id)).forEach(id ->
          problems.add("Schedule id “" + id + "” is not a PagerDuty id (such as PABC123)."));
      policies.forEach(id -> query.add(Html.param("escalation_policy", id)));
      schedules.forEach(id -> query.add(Html.param("schedule", id)));
    }
    RoutingKey.Checked key = RoutingKey.check(form.get("service_key"));
    if (key.key().isPresent()) {
      query.add("service_key=" + key.key().get().value());
    } else {
      // Forwarding without a key would have no voicemail to fall back on, so every line needs one.
      problems.add(sentence(key.problem()) + " It is the Integration Key of the PagerDuty service's Events API v2"
          + " integration.");
    }
    text(form, type == Type.SMS ? "reply" : "greeting").ifPresent(text ->
        query.add(Html.param(type == Type.SMS ? "reply" : "greeting", text)));
    if (type == Type.FORWARD) {
      text(form, "voicemail_greeting").ifPresent(text -> query.add(Html.param("voicemail_greeting", text)));
      text(form, "ring_seconds").ifPresent(seconds -> {
        if (!seconds.matches("[0-9]{1,3}")) {
          problems.add("Ring time “" + seconds + "” is not a number of seconds.");
        }
        query.add(Html.param("ring_seconds", seconds));
      });
      if ("number".equals(form.get("caller_id"))) {
        query.add("caller_id=number");
      }
    }
    text(form, "severity").ifPresent(severity -> {
      if (Severity.parse(severity).isEmpty()) {
        problems.add("Severity “" + severity + "” is not one of critical, error, warning, info.");
      }
      query.add(Html.param("severity", severity));
    });
    if (!problems.isEmpty()) {
      return new Result(type, Optional.empty(), problems);
    }
    return new Result(type, Optional.of(baseUrl + type.path + "?" + query), List.of());
  }

  private static Optional<String> text(Map<String, String> form, String name) {
    return Optional.ofNullable(form.get(name)).map(String::strip).filter(s -> !s.isEmpty());
  }

  /** Ids as typed: separated by commas or spaces. */
  private static List<String> ids(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return Arrays.stream(text.strip().split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
  }

  private static String sentence(String problem) {
    return Character.toUpperCase(problem.charAt(0)) + problem.substring(1) + ".";
  }
}
