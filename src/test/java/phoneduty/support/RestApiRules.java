package phoneduty.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * PagerDuty's REST API v2 rules as {@link FakePagerDutyRestApi} enforces them: the query parameters
 * the official OpenAPI spec (test resources, unchanged) lists for each operation, how a query is
 * read and its values checked, and PagerDuty's error bodies.
 */
final class RestApiRules {

  private static final JSONObject SPEC = loadSpec();

  private RestApiRules() {}

  /** A parameter's one date-time, or null when it is not given. */
  static Instant dateTimeParameter(Map<String, List<String>> query, String name) {
    String value = singleParameter(query, name);
    try {
      return value == null ? null : OffsetDateTime.parse(value).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be an ISO 8601 date-time");
    }
  }

  /** A parameter's one value, or null when it is not given; given twice is refused. */
  static String singleParameter(Map<String, List<String>> query, String name) {
    List<String> values = query.getOrDefault(name, List.of());
    if (values.size() > 1) {
      throw new IllegalArgumentException(name + " given more than once");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  /** Why the query is refused (a parameter the spec does not list), or null. */
  static String unknownParameters(Map<String, List<String>> query, Set<String> allowed) {
    for (String name : query.keySet()) {
      if (!allowed.contains(name)) {
        return "Unknown query parameter " + name + " (the spec allows " + allowed + ")";
      }
    }
    return null;
  }

  /** A parameter's one whole number, at least {@code min}, or the fallback when it is not given. */
  static int intParameter(Map<String, List<String>> query, String name, int fallback, int min) {
    String text = singleParameter(query, name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value < min) {
        throw new IllegalArgumentException(name + " must be at least " + min);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number");
    }
  }

  /** A raw query's parameters, decoded, each with its values in order. */
  static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      if (equals < 0) {
        throw new IllegalArgumentException("Query parameter " + pair + " has no value");
      }
      String name = URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return query;
  }

  /** The body PagerDuty sends with this status, for a scripted answer. */
  static JSONObject scriptedError(int status) {
    switch (status) {
      case 400: return error("Invalid Input Provided", 2001, "scripted 400");
      case 401: return error("Unauthorized", 2006, null);
      case 403: return error("Access Denied", 2010, "scripted 403");
      case 404: return error("Not Found", 2100, null);
      case 429: return error("Too many requests", 2020, null);
      default: return error(status >= 500 ? "Internal Server Error" : "Scripted " + status, 2000 + status, null);
    }
  }

  /** PagerDuty's error body: {@code {"error": {"message", "code", "errors"}}}. */
  static JSONObject error(String message, int code, String detail) {
    JSONObject error = new JSONObject().put("message", message).put("code", code);
    if (detail != null) {
      error.put("errors", new JSONArray().put(detail));
    }
    return new JSONObject().put("error", error);
  }

  private static JSONObject loadSpec() {
    try (InputStream in = RestApiRules.class.getResourceAsStream("/pagerduty/rest-v2.openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("pagerduty/rest-v2.openapi.json is missing from test resources");
      }
      return new JSONObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The query parameter names the spec lists for this operation; checks that the headers it
   * requires are the ones {@link FakePagerDutyRestApi} checks (name: default value).
   */
  static Set<String> queryParameters(String path, String method, Set<String> expected) {
    Set<String> names = new TreeSet<>();
    Set<String> requiredHeaders = new TreeSet<>();
    JSONArray parameters = SPEC.getJSONObject("paths").getJSONObject(path).getJSONObject(method).getJSONArray("parameters");
    for (int i = 0; i < parameters.length(); i++) {
      JSONObject parameter = parameters.getJSONObject(i);
      if (parameter.has("$ref")) {
        parameter = (JSONObject) SPEC.query(parameter.getString("$ref").substring(1));
      }
      if ("query".equals(parameter.getString("in"))) {
        names.add(parameter.getString("name"));
      } else if ("header".equals(parameter.getString("in")) && parameter.optBoolean("required")) {
        requiredHeaders.add(parameter.getString("name") + ": "
            + parameter.getJSONObject("schema").optString("default"));
      }
    }
    // The checks are written from these; fail loudly if the spec ever says otherwise.
    if (!requiredHeaders.equals(expected)) {
      throw new IllegalStateException("The spec's required headers for " + path + " are now " + requiredHeaders);
    }
    return names;
  }
}
