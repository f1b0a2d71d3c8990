package phoneduty.calllog;

import java.io.IOException;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import phoneduty.App;

/** Queues the call-log writes a request gathered, when it ends ({@link CallLog#queueWrites()}). */
public final class PendingWritesFilter implements Filter {

  private CallLog callLog;

  @Override
  public void init(javax.servlet.FilterConfig config) {
    callLog = App.of(config.getServletContext()).callLog();
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    try {
      chain.doFilter(request, response);
    } finally {
      callLog.queueWrites();
    }
  }
}
