package phoneduty.shortlink;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.logging.Logger;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.App;
import phoneduty.text.LogSafe;

/** {@code GET /r/CODE}: redirects to the link's target, or 404. */
public final class ShortLinkServlet extends HttpServlet {

  private static final Logger log = Logger.getLogger(ShortLinkServlet.class.getName());

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getPathInfo();
    String code = path == null ? "" : path.replaceFirst("^/", "");
    Optional<URI> target = App.of(getServletContext()).shortLinks().resolve(code);
    if (target.isEmpty()) {
      log.info("No short link for code " + LogSafe.of(code));
      response.sendError(HttpServletResponse.SC_NOT_FOUND, "No such link");
      return;
    }
    // 302, not 301: a browser must not keep the target if the link is ever changed or removed.
    response.setHeader("Cache-Control", "private, no-store");
    response.sendRedirect(target.get().toString());
  }
}
