package phoneduty;

import java.io.IOException;
import java.util.Optional;
import java.util.logging.Logger;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.twilio.Twiml;

/**
 * App Engine's warm-up request ({@code /_ah/warmup}): loads the settings and builds TwiML once, so
 * class loading and XML set-up happen before a new instance takes its first call, not during it.
 */
public final class WarmupServlet extends HttpServlet {

  private static final Logger log = Logger.getLogger(WarmupServlet.class.getName());

  /** Runs at start-up (load-on-startup), which App Engine's warm-up request triggers. */
  @Override
  public void init() {
    long start = System.nanoTime();
    Settings.current();
    Twiml.voicemailPrompt(Twiml.DEFAULT_GREETING, "/record");
    Twiml.sms(Optional.of("warm"));
    log.info("Warmed up in " + (System.nanoTime() - start) / 1_000_000 + " ms");
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setContentType("text/plain; charset=UTF-8");
    response.getWriter().write("warm\n");
  }
}
