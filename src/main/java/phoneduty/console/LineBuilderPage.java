package phoneduty.console;

import static phoneduty.console.Html.e;

import java.util.Map;
import java.util.Optional;

/** {@code /admin/lines/new}: the URL builder's form (a GET, no script) and its answer. */
final class LineBuilderPage {

  private LineBuilderPage() {}

  static String render(Optional<LineBuilder.Result> result, Map<String, String> form, String user) {
    StringBuilder body = new StringBuilder();
    result.ifPresent(r -> body.append(answer(r)));
    String type = form.getOrDefault("type", "voicemail");
    body.append("<form method=\"get\" action=\"/admin/lines/new\" class=\"card\" id=\"builder\">")
        .append("<label for=\"type\">Line</label><select id=\"type\" name=\"type\">")
        .append(option("voicemail", "Voicemail: greet, record, page", type))
        .append(option("sms", "SMS: a text pages", type))
        .append(option("forward", "Live forwarding: ring who is on call, then voicemail", type))
        .append("</select>")
        .append(field("service_key", "PagerDuty service key (Events API v2 Integration Key, 32 characters)", form))
        .append(field("greeting", "Greeting (voicemail and forwarding; empty for the default)", form))
        .append(field("reply", "Reply text (SMS; empty for no reply)", form))
        .append(field("severity", "Severity (critical, error, warning, info; empty for critical)", form))
        .append(field("escalation_policy", "Escalation policy ids (forwarding, e.g. PABC123)", form))
        .append(field("schedule", "Schedule ids (forwarding, instead of a policy)", form))
        .append(field("ring_seconds", "Ring each number for (seconds; forwarding, empty for 20)", form))
        .append(field("voicemail_greeting", "Greeting of the voicemail fallback (forwarding)", form))
        .append("<label><input type=\"checkbox\" name=\"caller_id\" value=\"number\"")
        .append("number".equals(form.get("caller_id")) ? " checked" : "")
        .append("> Show the Twilio number to the engineer, not the caller's (forwarding)</label>")
        .append("<button type=\"submit\">Build the URL</button></form>");
    return Html.page("New line", user, null, body.toString());
  }

  private static String answer(LineBuilder.Result result) {
    if (result.url().isEmpty()) {
      StringBuilder html = new StringBuilder("<div class=\"card problem\" id=\"problems\"><p>This URL would not work:</p><ul>");
      result.problems().forEach(p -> html.append("<li>").append(e(p)).append("</li>"));
      return html.append("</ul></div>").toString();
    }
    return "<div class=\"card\"><p class=\"ok\">In Twilio, on the phone number, set <strong>"
        + e(result.type().twilioSetting) + "</strong> to Webhook, HTTP POST, with this URL:</p>"
        + "<p><code class=\"url\" id=\"webhook-url\">" + e(result.url().get()) + "</code></p>"
        + "<p class=\"muted\">Twilio signs each request against this exact URL; set TWILIO_AUTH_TOKEN (and"
        + " PUBLIC_BASE_URL behind a proxy) so phoneduty can check it.</p></div>";
  }

  private static String option(String value, String label, String selected) {
    return "<option value=\"" + e(value) + "\"" + (value.equals(selected) ? " selected" : "") + ">" + e(label)
        + "</option>";
  }

  private static String field(String name, String label, Map<String, String> form) {
    return "<label for=\"" + name + "\">" + e(label) + "</label><input type=\"text\" id=\"" + name + "\" name=\""
        + name + "\" value=\"" + e(form.getOrDefault(name, "")) + "\" autocomplete=\"off\">";
  }
}
