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
 *
 * <p>Only Task Queue may call it: web.xml limits the path to admins, and App Engine strips the
 * {@code X-AppEngine-QueueName} header from outside requests, so its presence proves the caller.
 */
public final class CallLogTaskServlet extends HttpServlet {

  static final String QUEUE_HEADER = "X-AppEngine-QueueName";
  /** A request's batch is a few kilobytes; Task Queue's own limit is 1 MB. */
  private static final int MAX_BODY_BYTES = 1024 * 1024;
  private static final Logger log = Logger.getLogger(CallLogTaskServlet.class.getName());

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (request.getHeader(QUEUE_HEADER) == null) {
      log.warning("Refused a call to " + CallLog.HANDLER_PATH + " that did not come from Task Queue");
      response.sendError(HttpServletResponse.SC_FORBIDDEN, "Only Task Queue may call this");
      return;
    }
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
