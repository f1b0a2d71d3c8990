package phoneduty.calllog;

import java.io.IOException;
import java.util.logging.Logger;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.App;

/**
 * {@code GET /tasks/call-log-retention}: the daily cron job (WEB-INF/cron.xml) that deletes call-log
 * records past {@code CALL_LOG_DAYS}. web.xml limits it to admins, and App Engine strips the
 * {@code X-Appengine-Cron} header from outside requests, so its presence proves the caller.
 */
public final class RetentionServlet extends HttpServlet {

  public static final String PATH = "/tasks/call-log-retention";
  static final String CRON_HEADER = "X-Appengine-Cron";
  private static final Logger log = Logger.getLogger(RetentionServlet.class.getName());

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (!"true".equals(request.getHeader(CRON_HEADER))) {
      log.warning("Refused a call to " + PATH + " that did not come from cron");
      response.sendError(HttpServletResponse.SC_FORBIDDEN, "Only cron may call this");
      return;
    }
    CallLogRetention.Deleted deleted = App.of(getServletContext()).callLogRetention().run();
    response.setContentType("text/plain; charset=UTF-8");
    response.getWriter().write("deleted " + deleted.calls() + " calls and texts, " + deleted.steps() + " steps, "
        + deleted.lines() + " lines\n");
  }
}
