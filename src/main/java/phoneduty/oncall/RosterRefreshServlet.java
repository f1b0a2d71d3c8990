package phoneduty.oncall;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.App;

/**
 * {@code /tasks/roster-refresh}: refreshes every line in use, on GET from cron and on POST from
 * {@link RosterRefreshQueue}. Admin-only (web.xml). It always
 * answers 200: a failed refresh is not retried by the queue, the next minute's cron run is the
 * retry.
 */
public final class RosterRefreshServlet extends HttpServlet {

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    answer(response, App.of(getServletContext()).rosterRefresh().refreshAll());
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    answer(response, App.of(getServletContext()).rosterRefresh().refreshAll());
  }

  private static void answer(HttpServletResponse response, String text) throws IOException {
    response.setContentType("text/plain; charset=UTF-8");
    response.getWriter().println(text);
  }
}
