package phoneduty.menu;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.twilio.WebhookParameters;

/**
 * One option of a menu: the key that picks it, what the caller hears it called, and the
 * phoneduty voice webhook (path and query) the call goes on to.
 *
 * @param key 1 to 9
 * @param label said as "For LABEL, press KEY."
 * @param path {@code /call?…} or {@code /forward?…}, on this deployment
 */
record MenuOption(int key, String label, String path) {

  /** The voice webhooks a menu may send a call on to: the entry points of a line. */
  static final Set<String> TARGETS = Set.of("/call", "/forward");
  static final int MAX_LABEL_CHARS = 100;
  static final int MAX_PATH_CHARS = 2000;

  /**
   * Reads {@code optionN=LABEL|PATH}.
   *
   * @throws IllegalArgumentException saying why the option cannot be offered
   */
  static MenuOption parse(int key, String value) {
    int bar = value.indexOf('|');
    if (bar <= 0 || bar == value.length() - 1) {
      throw new IllegalArgumentException("it is not LABEL|PATH");
    }
    String label = value.substring(0, bar).strip();
    String path = value.substring(bar + 1).strip();
    if (label.isEmpty() || label.length() > MAX_LABEL_CHARS) {
      throw new IllegalArgumentException("its label is empty or longer than " + MAX_LABEL_CHARS + " characters");
    }
    if (path.length() > MAX_PATH_CHARS || !path.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException("its path is too long or holds spaces or control characters");
    }
    try {
      URI uri = new URI(path);
      if (uri.getScheme() != null || uri.getRawAuthority() != null || uri.getRawFragment() != null
          || !TARGETS.contains(uri.getRawPath())) {
        throw new IllegalArgumentException("its path is not one of phoneduty's own voice webhooks " + TARGETS);
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("its path is not a URL path");
    }
    return new MenuOption(key, label, path);
  }

  /** The service key the option's own URL names, for voicemail when the menu cannot work. */
  static Optional<RoutingKey> serviceKeyIn(String value) {
    int query = value.indexOf('?');
    if (query < 0) {
      return Optional.empty();
    }
    try {
      return WebhookParameters.ofQuery(value.substring(query + 1)).get("service_key").flatMap(RoutingKey::parse);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
