package phoneduty.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.App;

/**
 * {@code POST /tasks/pagerduty-event}: the push task that delivers one queued event. A 2xx answer
 * ends the task; a 503 makes Task Queue retry it with the backoff set in queue.xml.
 *
 * Only Task Queue may call it ({@link phoneduty.TaskCallerFilter}).
 */
public final class DeliveryTaskServlet extends HttpServlet {

  public static final String TASK_NAME_HEADER = "X-AppEngine-TaskName";
  public static final String RETRY_COUNT_HEADER = "X-AppEngine-TaskRetryCount";

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    DeliveryTask.Result result = App.of(getServletContext()).deliveryTask().run(request.getHeader(TASK_NAME_HEADER),
        request.getHeader(RETRY_COUNT_HEADER), new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    response.setStatus(result.retry() ? HttpServletResponse.SC_SERVICE_UNAVAILABLE : HttpServletResponse.SC_OK);
    response.setContentType("text/plain; charset=UTF-8");
    response.getWriter().write(result.text());
  }
}
