package phoneduty;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * App Engine's warm-up request ({@code /_ah/warmup}). Loading the app for it runs
 * {@link AppStartup}, which reads the settings and warms up TwiML rendering, so a new instance
 * has done that before it takes its first call.
 */
public final class WarmupServlet extends HttpServlet {

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setContentType("text/plain; charset=UTF-8");
    response.getWriter().write("warm\n");
  }
}
