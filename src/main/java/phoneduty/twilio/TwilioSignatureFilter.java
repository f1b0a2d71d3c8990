package phoneduty.twilio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import phoneduty.App;

/** Lets through only requests that {@link SignatureCheck} accepts; web.xml maps it to every webhook. */
public final class TwilioSignatureFilter implements Filter {

  private static final Logger log = Logger.getLogger(TwilioSignatureFilter.class.getName());

  private SignatureCheck check;

  /** For the container: the check comes from the app's wiring at {@link #init}. */
  public TwilioSignatureFilter() {}

  public TwilioSignatureFilter(SignatureCheck check) {
    this.check = check;
  }

  @Override
  public void init(FilterConfig config) {
    if (check == null) {
      check = App.of(config.getServletContext()).signatureCheck();
    }
    check.startupWarning().ifPresent(warning ->
        log.log(check.refusesEverything() ? Level.SEVERE : Level.WARNING, warning));
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    // Twilio sends UTF-8; decide before the first parameter is read.
    request.setCharacterEncoding(StandardCharsets.UTF_8.name());
    SignatureCheck.Verdict verdict = check.check(request);
    if (verdict.logLine() != null) {
      log.log(verdict.level(), verdict.logLine());
    }
    if (verdict.passes()) {
      chain.doFilter(req, res);
      return;
    }
    response.setStatus(verdict.status());
    response.setContentType("text/plain; charset=UTF-8");
    response.getWriter().write(verdict.body());
  }

  @Override
  public void destroy() {}
}
