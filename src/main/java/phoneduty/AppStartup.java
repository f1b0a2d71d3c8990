package phoneduty;

import com.google.appengine.api.utils.SystemProperty;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.servlet.ServletContextEvent;
import javax.servlet.ServletContextListener;

/**
 * Starts the app: reads the settings (a malformed one stops the instance with a message naming
 * it; missing secrets are logged by name, never by value), wires the {@link App}, and warms up
 * TwiML rendering on a background thread.
 *
 * <p>The first TwiML document loads and initialises the JDK's XML parser and transformer (about
 * 0.3 s on a small instance), which would otherwise fall on the first caller.
 */
public final class AppStartup implements ServletContextListener {

  private static final Logger log = Logger.getLogger(AppStartup.class.getName());

  @Override
  public void contextInitialized(ServletContextEvent event) {
    Settings settings = Settings.fromEnvironment();
    log.info("phoneduty starting with " + settings);
    String missing = settings.missingSecrets();
    if (!missing.isEmpty()) {
      log.warning("Settings not set: " + missing + " (see README, Configure Twilio and PagerDuty)");
    }
    boolean localDevServer = SystemProperty.environment.value() == SystemProperty.Environment.Value.Development;
    App.wire(settings, Clock.systemUTC(), localDevServer).attachTo(event.getServletContext());
    try {
      Thread warmUp = new Thread(AppStartup::warmUp, "phoneduty-warm-up");
      warmUp.setDaemon(true);
      warmUp.start();
    } catch (RuntimeException | Error e) {
      log.log(Level.FINE, "No warm-up thread; the first call warms up instead", e);
    }
  }

  private static void warmUp() {
    try {
      phoneduty.twilio.Twiml.warmUp();
    } catch (RuntimeException | Error e) {
      log.log(Level.WARNING, "TwiML warm-up failed; the first call will try again", e);
    }
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {}
}
