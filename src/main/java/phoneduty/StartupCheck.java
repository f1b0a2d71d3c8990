package phoneduty;

import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.ServletContextEvent;
import javax.servlet.ServletContextListener;

/**
 * Reads the settings when the app starts, so a malformed setting stops the instance with a
 * message naming it, and the log shows which secrets are missing (never their values).
 *
 * <p>It also warms up TwiML rendering on a background thread: the first TwiML document loads and
 * initialises the JDK's XML parser and transformer (about 0.3 s on a small instance), which would
 * otherwise fall on the first caller. The thread runs while the container finishes starting.
 */
public final class StartupCheck implements ServletContextListener {

  private static final Logger log = Logger.getLogger(StartupCheck.class.getName());

  @Override
  public void contextInitialized(ServletContextEvent event) {
    Settings settings = Settings.current();
    log.info("phoneduty starting with " + settings);
    String missing = settings.missingSecrets();
    if (!missing.isEmpty()) {
      log.warning("Settings not set: " + missing + " (see README, Configure Twilio and PagerDuty)");
    }
    try {
      Thread warmUp = new Thread(StartupCheck::warmUp, "phoneduty-warm-up");
      warmUp.setDaemon(true);
      warmUp.start();
    } catch (RuntimeException | Error e) {
      log.log(Level.FINE, "No warm-up thread; the first call warms up instead", e);
    }
  }

  static void warmUp() {
    try {
      phoneduty.twilio.Twiml.warmUp();
    } catch (RuntimeException | Error e) {
      log.log(Level.WARNING, "TwiML warm-up failed; the first call will try again", e);
    }
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {}
}
