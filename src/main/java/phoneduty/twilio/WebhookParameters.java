package phoneduty.twilio;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.servlet.http.HttpServletRequest;

/**
 * The parameters of one Twilio webhook, whether Twilio sent them in the query (GET) or the form
 * body (POST). Twilio sends each of its own names once; our own URL parameters (such as
 * {@code escalation_policy}) may repeat in the query, which the signature covers.
 */
public final class WebhookParameters {

  private final Map<String, List<String>> values;

  private WebhookParameters(Map<String, List<String>> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  public static WebhookParameters of(HttpServletRequest request) {
    Map<String, List<String>> all = new TreeMap<>();
    request.getParameterMap().forEach((name, given) -> all.put(name, List.of(given)));
    return new WebhookParameters(all);
  }

  /**
   * The parameters of a query string, such as the one a menu option's path carries.
   *
   * @throws IllegalArgumentException if it is not URL-encoded properly
   */
  public static WebhookParameters ofQuery(String rawQuery) {
    Map<String, List<String>> all = new TreeMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      all.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return new WebhookParameters(all);
  }

  /** The first value, trimmed, or empty when absent or blank. */
  public Optional<String> get(String name) {
    String value = raw(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** The first raw value, possibly null, for checks that must see what was sent. */
  public String raw(String name) {
    List<String> given = values.get(name);
    return given == null || given.isEmpty() ? null : given.get(0);
  }

  public String getOrDefault(String name, String fallback) {
    return get(name).orElse(fallback);
  }

  /** Every non-blank value, repeated parameters and comma-separated lists alike. */
  public List<String> all(String name) {
    List<String> found = new ArrayList<>();
    for (String value : values.getOrDefault(name, List.of())) {
      Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).forEach(found::add);
    }
    return found;
  }
}
