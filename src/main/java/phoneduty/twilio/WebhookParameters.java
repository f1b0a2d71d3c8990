package phoneduty.twilio;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.servlet.http.HttpServletRequest;

/**
 * The parameters of one Twilio webhook, whether Twilio sent them in the query (GET) or the form
 * body (POST). Twilio sends each name once; where a name repeats, the first value wins.
 */
public final class WebhookParameters {

  private final Map<String, String> values;

  private WebhookParameters(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  public static WebhookParameters of(Map<String, String> values) {
    return new WebhookParameters(new TreeMap<>(values));
  }

  public static WebhookParameters of(HttpServletRequest request) {
    Map<String, String> values = new TreeMap<>();
    request.getParameterMap().forEach((name, all) -> {
      if (all.length > 0) {
        values.put(name, all[0]);
      }
    });
    return new WebhookParameters(values);
  }

  /** The value, or empty when absent or blank. */
  public Optional<String> get(String name) {
    String value = values.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** The raw value, possibly null, for checks that must see what was sent. */
  public String raw(String name) {
    return values.get(name);
  }

  public String getOrDefault(String name, String fallback) {
    return get(name).orElse(fallback);
  }
}
