package phoneduty.calllog;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.App;

/**
 * {@code POST /tasks/call-log}: the push task that writes one request's call-log records and
 * steps. A 2xx ends the task; a 503 (Datastore failed) makes Task Queue try again.
 * Only Task Queue may call it ({@link phoneduty.TaskCallerFilter}).
 */
public final class CallLogTaskServlet extends HttpServlet {

  /** A request's batch is a few kilobytes; Task Queue's own limit is 1 MB. */
  private static final int MAX_BODY_BYTES = 1024 * 1024;
  private static final Logger log = Logger.getLogger(CallLogTaskServlet.class.getName());

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
    response.setContentType("text/plain; charset=UTF-8");
    try {
      if (body.length > MAX_BODY_BYTES) {
        throw new IllegalArgumentException("over " + MAX_BODY_BYTES + " bytes");
      }
      int written = App.of(getServletContext()).callLog().writeQueued(body);
      response.getWriter().write("wrote " + written + " records and steps\n");
    } catch (IllegalArgumentException e) {
      // Retrying cannot help a body that is not a batch: drop it, loudly.
      log.severe("Call log: dropped a task whose body is not a batch of records (" + e.getMessage() + ")");
      response.getWriter().write("dropped: not a batch of records\n");
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "Call log: could not write a batch; Task Queue will try again", e);
      response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
      response.getWriter().write("not written; try again\n");
    }
  }
}
