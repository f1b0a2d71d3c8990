package phoneduty;

import java.util.logging.Logger;
import javax.servlet.ServletContextEvent;
import javax.servlet.ServletContextListener;

/**
 * Reads the settings when the app starts, so a malformed setting stops the instance with a
 * message naming it, and the log shows which secrets are missing (never their values).
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
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {}
}
