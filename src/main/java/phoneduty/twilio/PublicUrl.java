package phoneduty.twilio;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import javax.servlet.http.HttpServletRequest;

/**
 * The URL by which Twilio (or a person) reached this app: the one Twilio signed, and the base
 * for the links we hand out.
 *
 * <p>Behind a proxy or App Engine's front end the servlet container may see another scheme or
 * host, so {@code PUBLIC_BASE_URL} wins when set; otherwise the URL is rebuilt from the request,
 * taking the scheme from {@code X-Forwarded-Proto} and the host (with any port) from {@code Host}.
 */
public final class PublicUrl {

  private final Optional<URI> configured;

  public PublicUrl(Optional<URI> configured) {
    this.configured = configured;
  }

  public boolean isConfigured() {
    return configured.isPresent();
  }

  /** Scheme, host, port and context path, without a trailing slash. */
  public String base(HttpServletRequest request) {
    if (configured.isPresent()) {
      return configured.get().toString() + request.getContextPath();
    }
    String scheme = request.getScheme();
    String forwardedProto = request.getHeader("X-Forwarded-Proto");
    if (forwardedProto != null && !forwardedProto.isBlank()) {
      // A chain of proxies lists one scheme each; the first is the client's.
      scheme = forwardedProto.split(",")[0].trim().toLowerCase(Locale.ROOT);
    }
    String host = request.getHeader("Host");
    if (host == null || host.isBlank()) {
      host = request.getServerName() + ":" + request.getServerPort();
    }
    return scheme + "://" + host.trim() + request.getContextPath();
  }

  /** The full URL of this request as its sender saw it, query string included. */
  public String of(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    String query = request.getQueryString();
    return base(request) + path + (query == null ? "" : "?" + query);
  }
}
