package phoneduty.calllog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.text.Text;
import phoneduty.twilio.Webhook;

/**
 * One on-call line as Twilio calls it: the endpoint and the settings in its URL. The service key
 * is held whole only to send the console's test pages; everything shown uses {@link #keyTail()}.
 *
 * @param settings the URL's other settings (greeting, severity, reply, ring_seconds, …), as given
 * @param policies escalation policy ids (forwarding lines)
 * @param schedules schedule ids (forwarding lines)
 */
public record Line(String endpoint, Optional<RoutingKey> key, Map<String, String> settings, List<String> policies,
    List<String> schedules) {

  /** The URL parameters that configure a line, besides the key, policies and schedules. */
  static final List<String> SETTING_NAMES =
      List.of("greeting", "voicemail_greeting", "severity", "reply", "ring_seconds", "caller_id");

  public Line {
    settings = Map.copyOf(settings);
    policies = List.copyOf(policies);
    schedules = List.copyOf(schedules);
  }

  /** The line a webhook came in on. */
  public static Line of(String endpoint, Webhook webhook) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String name : SETTING_NAMES) {
      webhook.get(name).ifPresent(value -> settings.put(name, value));
    }
    return new Line(endpoint, webhook.serviceKey().key(), settings, webhook.parameters().all("escalation_policy"),
        webhook.parameters().all("schedule"));
  }

  /** A stable id for this endpoint, key, policies and schedules; safe to show (a hash, cut). */
  public String id() {
    return Text.sha256Hex(endpoint + "\n" + key.map(RoutingKey::value).orElse("") + "\n" + policies + "\n" + schedules)
        .substring(0, 16);
  }

  /** "…ABCD", or "(no valid key)". */
  public String keyTail() {
    return key.map(RoutingKey::toString).orElse("(no valid key)");
  }
}
