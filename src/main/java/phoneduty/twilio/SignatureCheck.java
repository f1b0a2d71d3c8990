package phoneduty.twilio;

import com.twilio.security.RequestValidator;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import javax.servlet.http.HttpServletRequest;
import phoneduty.Settings;
import phoneduty.text.LogSafe;

/**
 * Decides whether a request was signed by Twilio with this account's auth token.
 *
 * <p>Without a token the deployed app refuses every webhook (a misconfiguration must not turn
 * into an open paging endpoint); only the local dev server accepts unsigned requests, and says so.
 * A request that cannot be parsed, or whose body repeats a parameter (the signature covers only
 * the first value of each), is refused before anything reads it.
 */
public final class SignatureCheck {

  public static final String SIGNATURE_HEADER = "X-Twilio-Signature";
  static final String FORBIDDEN_BODY = "Forbidden: this endpoint accepts only requests signed by Twilio.\n";

  private final Optional<RequestValidator> validator;
  private final PublicUrl publicUrl;
  private final boolean localDevServer;

  public SignatureCheck(Optional<String> authToken, PublicUrl publicUrl, boolean localDevServer) {
    this.validator = authToken.map(RequestValidator::new);
    this.publicUrl = publicUrl;
    this.localDevServer = localDevServer;
  }

  /**
   * Whether a request may go on; if not, the status and body to answer. Either way at most one
   * line to log (null for a quiet pass).
   */
  public record Verdict(boolean passes, int status, String body, Level level, String logLine) {
    static final Verdict PASS = new Verdict(true, 0, "", Level.FINE, null);

    static Verdict passWithWarning(String logLine) {
      return new Verdict(true, 0, "", Level.WARNING, logLine);
    }

    static Verdict forbidden(String logLine) {
      return new Verdict(false, 403, FORBIDDEN_BODY, Level.WARNING, logLine);
    }

    static Verdict badRequest(String reason, String logLine) {
      return new Verdict(false, 400, "Bad request: " + reason + "\n", Level.WARNING, logLine);
    }
  }

  /** What to log once at start-up about the token, or empty when it is set. */
  public Optional<String> startupWarning() {
    if (validator.isPresent()) {
      return Optional.empty();
    }
    return Optional.of(Settings.TWILIO_AUTH_TOKEN + " is not set: " + (localDevServer
        ? "the local dev server accepts unsigned webhooks"
        : "every Twilio webhook will be refused with 403"));
  }

  public boolean refusesEverything() {
    return validator.isEmpty() && !localDevServer;
  }

  public Verdict check(HttpServletRequest request) {
    String described = describe(request);
    Map<String, String> signed;
    try {
      signed = signedParameters(request);
    } catch (IllegalArgumentException e) {
      return Verdict.badRequest("the request's parameters could not be read (not valid URL-encoded UTF-8, or too many)",
          described + " refused: its parameters could not be read (not valid URL-encoded UTF-8, or too many)");
    } catch (RepeatedParameter e) {
      return Verdict.badRequest("the body repeats the parameter " + LogSafe.of(e.getMessage()),
          described + " refused: the body repeats parameter " + LogSafe.of(e.getMessage())
              + ", which Twilio sends once");
    }
    if (validator.isEmpty()) {
      if (localDevServer) {
        return Verdict.passWithWarning("Accepting unsigned " + described + ": " + Settings.TWILIO_AUTH_TOKEN
            + " is not set (local dev server only)");
      }
      return Verdict.forbidden(described + " refused: setting " + Settings.TWILIO_AUTH_TOKEN
          + " is not set, so no Twilio signature can be checked");
    }
    String signature = request.getHeader(SIGNATURE_HEADER);
    if (signature == null || signature.isBlank()) {
      return Verdict.forbidden(described + " refused: no " + SIGNATURE_HEADER + " header");
    }
    String url = publicUrl.of(request);
    if (!validator.get().validate(url, signed, signature)) {
      return Verdict.forbidden(described + " refused: " + SIGNATURE_HEADER
          + " does not match the request as received at " + LogSafe.of(withoutQuery(url))
          + (publicUrl.isConfigured() ? "" : " (set " + Settings.PUBLIC_BASE_URL
              + " if a proxy changes the URL Twilio calls)"));
    }
    return Verdict.PASS;
  }

  /**
   * The form fields of a POST body; Twilio signs those, but not the query string's parameters
   * (they are part of the signed URL already). The servlet API merges both, query first.
   *
   * @throws IllegalArgumentException if the query or body is not valid URL encoding
   * @throws RepeatedParameter if the body gives a name twice
   */
  static Map<String, String> signedParameters(HttpServletRequest request) throws RepeatedParameter {
    Map<String, Integer> queryCounts = queryParameterCounts(request.getQueryString());
    Map<String, String[]> all;
    try {
      all = request.getParameterMap();
    } catch (RuntimeException e) {
      // Containers throw their own exceptions for a body they cannot decode.
      throw new IllegalArgumentException("unparseable parameters", e);
    }
    Map<String, String> signed = new HashMap<>();
    if (!"POST".equalsIgnoreCase(request.getMethod())) {
      return signed;
    }
    for (Map.Entry<String, String[]> parameter : all.entrySet()) {
      String[] values = parameter.getValue();
      int fromQuery = queryCounts.getOrDefault(parameter.getKey(), 0);
      if (values.length > fromQuery + 1) {
        throw new RepeatedParameter(parameter.getKey());
      }
      if (values.length > fromQuery) {
        signed.put(parameter.getKey(), values[fromQuery]);
      }
    }
    return signed;
  }

  private static Map<String, Integer> queryParameterCounts(String query) {
    Map<String, Integer> counts = new HashMap<>();
    if (query == null || query.isEmpty()) {
      return counts;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      counts.merge(name, 1, Integer::sum);
    }
    return counts;
  }

  // The query carries the PagerDuty routing key, which is not for the logs.
  static String describe(HttpServletRequest request) {
    return request.getMethod() + " " + LogSafe.of(request.getRequestURI());
  }

  private static String withoutQuery(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /** A body parameter given twice; its message is the name. */
  static final class RepeatedParameter extends Exception {
    RepeatedParameter(String name) {
      super(name, null, false, false);
    }
  }
}
