package phoneduty;

import java.io.IOException;
import java.util.logging.Logger;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.text.LogSafe;

/**
 * Guards the task handlers ({@code /tasks/*}): a POST must come from Task Queue, a GET from cron.
 * web.xml also limits the paths to admins; App Engine strips {@value #QUEUE_HEADER} and
 * {@value #CRON_HEADER} from outside requests, so their presence proves the caller, and a
 * signed-in admin's browser cannot run a task by hand either.
 */
public final class TaskCallerFilter implements Filter {

  public static final String QUEUE_HEADER = "X-AppEngine-QueueName";
  public static final String CRON_HEADER = "X-Appengine-Cron";
  private static final Logger log = Logger.getLogger(TaskCallerFilter.class.getName());

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    String method = http.getMethod();
    boolean fromQueue = "POST".equals(method) && http.getHeader(QUEUE_HEADER) != null;
    boolean fromCron = "GET".equals(method) && "true".equals(http.getHeader(CRON_HEADER));
    if (fromQueue || fromCron) {
      chain.doFilter(request, response);
      return;
    }
    String only = "POST".equals(method) ? "Only Task Queue may call this"
        : "GET".equals(method) ? "Only cron may call this" : "Only Task Queue and cron may call this";
    log.warning("Refused a " + LogSafe.of(method) + " to " + LogSafe.of(http.getRequestURI()) + ": " + only);
    ((HttpServletResponse) response).sendError(HttpServletResponse.SC_FORBIDDEN, only);
  }
}
