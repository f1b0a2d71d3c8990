package phoneduty.oncall;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.App;
import phoneduty.text.LogSafe;

/**
 * {@code /tasks/roster-refresh}: GET from cron refreshes every line in use; POST from {@link
 * RosterRefreshQueue} refreshes the line its parameters name; nobody else may call it ({@link
 * phoneduty.TaskCallerFilter}). It always answers 200: a failed refresh is not retried by the
 * queue, the next minute's cron run is the retry.
 */
public final class RosterRefreshServlet extends HttpServlet {

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    answer(response, App.of(getServletContext()).rosterRefresh().refreshAll());
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    RosterKey line;
    try {
      line = RosterKey.of(values(request, "escalation_policy"), values(request, "schedule"));
    } catch (IllegalArgumentException e) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST, "no line to refresh: " + LogSafe.of(e.getMessage()));
      return;
    }
    answer(response, App.of(getServletContext()).rosterRefresh().refresh(line));
  }

  private static List<String> values(HttpServletRequest request, String name) {
    String[] values = request.getParameterValues(name);
    return values == null ? List.of() : Arrays.asList(values);
  }

  private static void answer(HttpServletResponse response, String text) throws IOException {
    response.setContentType("text/plain; charset=UTF-8");
    response.getWriter().println(text);
  }
}
