package phoneduty.shortlink;

import java.io.IOException;
import java.util.logging.Logger;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.App;

/**
 * {@code GET /tasks/short-link-expiry}: the daily cron job (WEB-INF/cron.xml) that deletes short
 * links long expired ({@link ShortLinks#deleteExpired}). Only cron may call it ({@link
 * phoneduty.TaskCallerFilter}).
 */
public final class ShortLinkExpiryServlet extends HttpServlet {

  public static final String PATH = "/tasks/short-link-expiry";
  private static final Logger log = Logger.getLogger(ShortLinkExpiryServlet.class.getName());

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    int deleted = App.of(getServletContext()).shortLinks().deleteExpired();
    log.info("Short links: deleted " + deleted + " expired more than " + ShortLinks.KEPT_EXPIRED.toDays() + " days ago");
    response.setContentType("text/plain; charset=UTF-8");
    response.getWriter().write("deleted " + deleted + " expired short links\n");
  }
}
