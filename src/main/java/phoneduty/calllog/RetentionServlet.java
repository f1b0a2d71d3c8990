package phoneduty.calllog;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.App;

/**
 * {@code GET /tasks/call-log-retention}: the daily cron job (WEB-INF/cron.xml) that deletes call-log
 * records past {@code CALL_LOG_DAYS}. Only cron may call it ({@link phoneduty.TaskCallerFilter}).
 */
public final class RetentionServlet extends HttpServlet {

  public static final String PATH = "/tasks/call-log-retention";

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    CallLogRetention.Deleted deleted = App.of(getServletContext()).callLogRetention().run();
    response.setContentType("text/plain; charset=UTF-8");
    response.getWriter().write("deleted " + deleted.calls() + " calls and texts, " + deleted.steps() + " steps, "
        + deleted.lines() + " lines\n");
  }
}
