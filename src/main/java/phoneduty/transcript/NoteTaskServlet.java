package phoneduty.transcript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.App;
import phoneduty.delivery.DeliveryTask;
import phoneduty.delivery.DeliveryTaskServlet;

/**
 * {@code POST /tasks/pagerduty-note}: the push task that adds one transcript note. A 2xx answer
 * ends the task; a 503 makes Task Queue retry it. Only Task Queue may call it ({@link
 * phoneduty.TaskCallerFilter}).
 */
public final class NoteTaskServlet extends HttpServlet {


  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    DeliveryTask.Result result = App.of(getServletContext()).noteTask().run(
        request.getHeader(DeliveryTaskServlet.TASK_NAME_HEADER), request.getHeader(DeliveryTaskServlet.RETRY_COUNT_HEADER),
        new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    response.setStatus(result.retry() ? HttpServletResponse.SC_SERVICE_UNAVAILABLE : HttpServletResponse.SC_OK);
    response.setContentType("text/plain; charset=UTF-8");
    response.getWriter().write(result.text());
  }
}
