package phoneduty.twilio;

import com.google.appengine.api.utils.SystemProperty;
import com.twilio.security.RequestValidator;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.Settings;

/**
 * Lets through only requests that Twilio signed with this account's auth token.
 *
 * <p>Without a token the deployed app refuses every webhook (a misconfiguration must not turn
 * into an open paging endpoint); only the local dev server accepts unsigned requests, and says so.
 */
public final class TwilioSignatureFilter implements Filter {

  static final String SIGNATURE_HEADER = "X-Twilio-Signature";
  private static final Logger log = Logger.getLogger(TwilioSignatureFilter.class.getName());

  private final Optional<RequestValidator> validator;
  private final Optional<URI> publicBaseUrl;
  private final boolean localDevServer;

  public TwilioSignatureFilter() {
    this(
        Settings.current().twilioAuthToken(),
        Settings.current().publicBaseUrl(),
        SystemProperty.environment.value() == SystemProperty.Environment.Value.Development);
  }

  public TwilioSignatureFilter(
      Optional<String> authToken, Optional<URI> publicBaseUrl, boolean localDevServer) {
    this.validator = authToken.map(RequestValidator::new);
    this.publicBaseUrl = publicBaseUrl;
    this.localDevServer = localDevServer;
  }

  @Override
  public void init(FilterConfig config) {
    if (validator.isEmpty()) {
      log.log(
          localDevServer ? Level.WARNING : Level.SEVERE,
          Settings.TWILIO_AUTH_TOKEN
              + " is not set: "
              + (localDevServer
                  ? "the local dev server accepts unsigned webhooks"
                  : "every Twilio webhook will be refused with 403"));
    }
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    // Twilio sends UTF-8; decide before the first parameter is read.
    request.setCharacterEncoding(StandardCharsets.UTF_8.name());

    if (validator.isEmpty()) {
      if (localDevServer) {
        log.warning("Accepting unsigned " + describe(request) + ": " + Settings.TWILIO_AUTH_TOKEN
            + " is not set (local dev server only)");
        chain.doFilter(req, res);
      } else {
        refuse(response, describe(request) + " refused: setting " + Settings.TWILIO_AUTH_TOKEN
            + " is not set, so no Twilio signature can be checked");
      }
      return;
    }
    String signature = request.getHeader(SIGNATURE_HEADER);
    if (signature == null || signature.isBlank()) {
      refuse(response, describe(request) + " refused: no " + SIGNATURE_HEADER + " header");
      return;
    }
    String url = PublicUrl.of(request, publicBaseUrl);
    if (!validator.get().validate(url, signedParameters(request), signature)) {
      refuse(response, describe(request) + " refused: " + SIGNATURE_HEADER
          + " does not match the request as received at " + withoutQuery(url)
          + (publicBaseUrl.isPresent() ? "" : " (set " + Settings.PUBLIC_BASE_URL
              + " if a proxy changes the URL Twilio calls)"));
      return;
    }
    chain.doFilter(req, res);
  }

  /**
   * The form fields of a POST body; Twilio signs those, but not the query string's parameters
   * (they are part of the signed URL already). The servlet API merges both, query first.
   */
  static Map<String, String> signedParameters(HttpServletRequest request) {
    Map<String, String> signed = new HashMap<>();
    if (!"POST".equalsIgnoreCase(request.getMethod())) {
      return signed;
    }
    Map<String, Integer> queryCounts = queryParameterCounts(request.getQueryString());
    for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
      String[] values = parameter.getValue();
      int fromQuery = queryCounts.getOrDefault(parameter.getKey(), 0);
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

  private static void refuse(HttpServletResponse response, String reason) throws IOException {
    log.warning(reason);
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    response.setContentType("text/plain; charset=UTF-8");
    response.getWriter().write("Forbidden: this endpoint accepts only requests signed by Twilio.\n");
  }

  // The query carries the PagerDuty routing key, which is not for the logs.
  private static String describe(HttpServletRequest request) {
    return request.getMethod() + " " + request.getRequestURI();
  }

  private static String withoutQuery(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  @Override
  public void destroy() {}
}
