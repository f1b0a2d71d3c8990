package phoneduty;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every setting phoneduty reads, typed and checked once at start-up.
 *
 * <p>A value comes from the process environment first (local runs, tests, and App Engine's
 * {@code <env-variables>}), then from a JVM system property of the same name (App Engine's
 * {@code <system-properties>}). A malformed value stops start-up with an exception that names the
 * setting; a missing secret is reported by {@link #missingSecrets()} and refused where it is used.
 * Secret values never appear in {@link #toString()}.
 *
 * @param onCallCacheTtl how old a line's roster may get before a call asks for a refresh
 * @param blockedDialPrefixes number prefixes never to dial, beyond the built-in premium-rate and
 *     satellite ones
 * @param rosterMaxStale the oldest roster a call still rings when PagerDuty cannot be asked
 * @param callLogRetention how long the call log keeps a call or text (it holds callers' numbers and texts)
 * @param pagerDutyUserEmail the PagerDuty user that voicemail transcripts are noted as (the REST
 *     API's {@code From} header); without it, or without the API token, transcripts go as events
 * @param blockedNumbers numbers and prefixes whose calls are rejected and texts dropped, unpaged
 * @param repeatWindow how long after a caller's first contact their next ones join its incident
 * @param linePageLimit the most new incidents one line opens in ten minutes before a flood incident takes the rest
 * @param responderNumbers numbers that get the responder menu besides those on a line's roster
 * @param responderPin what a responder without a verified caller ID enters to reach the menu (a secret)
 * @param twilioAccountSid the Twilio account whose recordings {@code /r/CODE} serves itself, fetched
 *     with this SID and the auth token (private recordings); without it {@code /r/CODE} redirects
 * @param twilioApiBaseUrl where recordings are fetched from ({@code https://api.twilio.com}; tests: a fake)
 * @param twilioReadTimeout how long Twilio has to start answering for a recording
 * @param linkTtl how long a short link works after it was stored; older, it answers 410 Gone
 */
public record Settings(Optional<String> twilioAuthToken, Optional<URI> publicBaseUrl, URI pagerDutyEventsBaseUrl,
    Optional<String> pagerDutyApiToken, URI pagerDutyApiBaseUrl, Duration connectTimeout, Duration eventsReadTimeout,
    Duration apiReadTimeout, Duration onCallCacheTtl, List<String> blockedDialPrefixes, Duration rosterMaxStale,
    Duration callLogRetention, Optional<String> pagerDutyUserEmail, List<String> blockedNumbers, Duration repeatWindow,
    int linePageLimit, List<String> responderNumbers, Optional<String> responderPin, Optional<String> twilioAccountSid,
    URI twilioApiBaseUrl, Duration twilioReadTimeout, Duration linkTtl) {

  public static final String TWILIO_AUTH_TOKEN = "TWILIO_AUTH_TOKEN";
  public static final String PUBLIC_BASE_URL = "PUBLIC_BASE_URL";
  public static final String PAGERDUTY_EVENTS_BASE_URL = "PAGERDUTY_EVENTS_BASE_URL";
  public static final String PAGERDUTY_API_TOKEN = "PAGERDUTY_API_TOKEN";
  public static final String PAGERDUTY_API_BASE_URL = "PAGERDUTY_API_BASE_URL";
  public static final String PAGERDUTY_CONNECT_TIMEOUT_MS = "PAGERDUTY_CONNECT_TIMEOUT_MS";
  public static final String PAGERDUTY_EVENTS_READ_TIMEOUT_MS = "PAGERDUTY_EVENTS_READ_TIMEOUT_MS";
  public static final String PAGERDUTY_API_READ_TIMEOUT_MS = "PAGERDUTY_API_READ_TIMEOUT_MS";
  public static final String ONCALL_CACHE_SECONDS = "ONCALL_CACHE_SECONDS";
  public static final String BLOCKED_DIAL_PREFIXES = "BLOCKED_DIAL_PREFIXES";
  public static final String ROSTER_MAX_STALE_MINUTES = "ROSTER_MAX_STALE_MINUTES";
  public static final String CALL_LOG_DAYS = "CALL_LOG_DAYS";
  public static final String PAGERDUTY_USER_EMAIL = "PAGERDUTY_USER_EMAIL";
  public static final String BLOCKED_NUMBERS = "BLOCKED_NUMBERS";
  public static final String REPEAT_WINDOW_MINUTES = "REPEAT_WINDOW_MINUTES";
  public static final String LINE_PAGE_LIMIT = "LINE_PAGE_LIMIT";
  public static final String RESPONDER_NUMBERS = "RESPONDER_NUMBERS";
  public static final String RESPONDER_PIN = "RESPONDER_PIN";
  private static final Pattern PIN = Pattern.compile("[0-9]{4,12}");
  public static final String TWILIO_ACCOUNT_SID = "TWILIO_ACCOUNT_SID";
  public static final String TWILIO_API_BASE_URL = "TWILIO_API_BASE_URL";
  public static final String TWILIO_READ_TIMEOUT_MS = "TWILIO_READ_TIMEOUT_MS";
  public static final String LINK_TTL_DAYS = "LINK_TTL_DAYS";

  private static final Pattern E164_PREFIX = Pattern.compile("\\+[0-9]{1,14}");
  /** One address, as PagerDuty's {@code From} takes it: no name, no list, no spaces or header breaks. */
  private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s\\p{Cntrl},<>\"]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");

  public static final URI DEFAULT_EVENTS_BASE_URL = URI.create("https://events.pagerduty.com");
  public static final URI DEFAULT_API_BASE_URL = URI.create("https://api.pagerduty.com");
  public static final URI DEFAULT_TWILIO_API_BASE_URL = URI.create("https://api.twilio.com");

  private static Settings read(Function<String, String> source) {
    Optional<String> twilioAccountSid = text(source, TWILIO_ACCOUNT_SID).map(v -> accountSid(TWILIO_ACCOUNT_SID, v));
    if (twilioAccountSid.isPresent() && text(source, TWILIO_AUTH_TOKEN).isEmpty()) {
      throw new InvalidSettingException(TWILIO_ACCOUNT_SID, "needs " + TWILIO_AUTH_TOKEN
          + " as well: recordings are fetched from Twilio with the two");
    }
    return new Settings(
        text(source, TWILIO_AUTH_TOKEN),
        text(source, PUBLIC_BASE_URL).map(v -> baseUrl(PUBLIC_BASE_URL, v)),
        text(source, PAGERDUTY_EVENTS_BASE_URL).map(v -> baseUrl(PAGERDUTY_EVENTS_BASE_URL, v))
            .orElse(DEFAULT_EVENTS_BASE_URL),
        text(source, PAGERDUTY_API_TOKEN),
        text(source, PAGERDUTY_API_BASE_URL).map(v -> baseUrl(PAGERDUTY_API_BASE_URL, v)).orElse(DEFAULT_API_BASE_URL),
        millis(source, PAGERDUTY_CONNECT_TIMEOUT_MS, 2_000),
        // Event delivery runs in a task, not in the webhook, so it can wait for a slow PagerDuty.
        millis(source, PAGERDUTY_EVENTS_READ_TIMEOUT_MS, 10_000),
        // On-call look-ups run inside a voice webhook that Twilio gives 15 s in all.
        millis(source, PAGERDUTY_API_READ_TIMEOUT_MS, 3_000),
        Duration.ofSeconds(number(source, ONCALL_CACHE_SECONDS, 60)),
        prefixes(source, BLOCKED_DIAL_PREFIXES),
        Duration.ofMinutes(number(source, ROSTER_MAX_STALE_MINUTES, 1440)),
        Duration.ofDays(number(source, CALL_LOG_DAYS, 30)),
        text(source, PAGERDUTY_USER_EMAIL).map(v -> email(PAGERDUTY_USER_EMAIL, v)),
        prefixes(source, BLOCKED_NUMBERS),
        Duration.ofMinutes(number(source, REPEAT_WINDOW_MINUTES, 10)),
        (int) Math.min(number(source, LINE_PAGE_LIMIT, 30), 10_000),
        prefixes(source, RESPONDER_NUMBERS),
        text(source, RESPONDER_PIN).map(v -> pin(RESPONDER_PIN, v)),
        twilioAccountSid,
        text(source, TWILIO_API_BASE_URL).map(v -> baseUrl(TWILIO_API_BASE_URL, v)).orElse(DEFAULT_TWILIO_API_BASE_URL),
        // A recording is fetched inside a person's GET, who is waiting for it to start playing.
        millis(source, TWILIO_READ_TIMEOUT_MS, 10_000),
        Duration.ofDays(number(source, LINK_TTL_DAYS, 90)));
  }

  /** Settings from the given names and values only (tests). */
  public static Settings of(Map<String, String> values) {
    return read(values::get);
  }

  /** Settings from the process environment, then JVM system properties. */
  public static Settings fromEnvironment() {
    return read(
        name -> {
          String value = System.getenv(name);
          return value != null && !value.isBlank() ? value : System.getProperty(name);
        });
  }

  /** Names of the secret settings that are not set, for the start-up log. */
  public String missingSecrets() {
    StringBuilder missing = new StringBuilder();
    if (twilioAuthToken.isEmpty()) {
      missing.append(TWILIO_AUTH_TOKEN);
    }
    if (pagerDutyApiToken.isEmpty()) {
      missing.append(missing.length() > 0 ? ", " : "").append(PAGERDUTY_API_TOKEN);
    }
    return missing.toString();
  }

  @Override
  public String toString() {
    return "Settings{"
        + TWILIO_AUTH_TOKEN + "=" + (twilioAuthToken.isPresent() ? "(set)" : "(missing)")
        + ", " + PUBLIC_BASE_URL + "=" + publicBaseUrl.map(URI::toString).orElse("(derived per request)")
        + ", " + PAGERDUTY_EVENTS_BASE_URL + "=" + pagerDutyEventsBaseUrl
        + ", " + PAGERDUTY_API_TOKEN + "=" + (pagerDutyApiToken.isPresent() ? "(set)" : "(missing)")
        + ", " + PAGERDUTY_API_BASE_URL + "=" + pagerDutyApiBaseUrl
        + ", connectTimeout=" + connectTimeout.toMillis() + "ms"
        + ", eventsReadTimeout=" + eventsReadTimeout.toMillis() + "ms"
        + ", apiReadTimeout=" + apiReadTimeout.toMillis() + "ms"
        + ", onCallCacheTtl=" + onCallCacheTtl.toSeconds() + "s"
        + ", " + BLOCKED_DIAL_PREFIXES + "=" + blockedDialPrefixes
        + ", " + ROSTER_MAX_STALE_MINUTES + "=" + rosterMaxStale.toMinutes()
        + ", " + CALL_LOG_DAYS + "=" + callLogRetention.toDays()
        + ", " + PAGERDUTY_USER_EMAIL + "=" + (pagerDutyUserEmail.isPresent() ? "(set)" : "(missing)")
        + ", " + BLOCKED_NUMBERS + "=" + blockedNumbers.size() + " entries"
        + ", " + REPEAT_WINDOW_MINUTES + "=" + repeatWindow.toMinutes()
        + ", " + LINE_PAGE_LIMIT + "=" + linePageLimit
        + ", " + RESPONDER_NUMBERS + "=" + responderNumbers.size() + " numbers"
        + ", " + RESPONDER_PIN + "=" + (responderPin.isPresent() ? "(set)" : "(not set)")
        + ", " + TWILIO_ACCOUNT_SID + "=" + (twilioAccountSid.isPresent() ? "(set: recordings served privately)" : "(missing: recordings redirect)")
        + ", " + TWILIO_API_BASE_URL + "=" + twilioApiBaseUrl
        + ", twilioReadTimeout=" + twilioReadTimeout.toMillis() + "ms"
        + ", " + LINK_TTL_DAYS + "=" + linkTtl.toDays() + "}";
  }

  private static Optional<String> text(Function<String, String> source, String name) {
    String value = source.apply(name);
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(value.trim());
  }

  private static URI baseUrl(String name, String value) {
    try {
      URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
      String scheme = uri.getScheme();
      if (uri.getHost() == null
          || !("https".equals(scheme) || "http".equals(scheme))
          || uri.getRawQuery() != null) {
        throw new InvalidSettingException(name, "must be an http(s) URL with a host and no query");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new InvalidSettingException(name, "is not a URL: " + e.getMessage());
    }
  }

  private static String pin(String name, String value) {
    if (!PIN.matcher(value).matches()) {
      throw new InvalidSettingException(name, "must be 4 to 12 digits");
    }
    return value;
  }

  private static String email(String name, String value) {
    if (!EMAIL.matcher(value).matches()) {
      throw new InvalidSettingException(name, "must be one email address (of a PagerDuty user), such as someone@example.com");
    }
    return value;
  }

  private static String accountSid(String name, String value) {
    if (!ACCOUNT_SID.matcher(value).matches()) {
      throw new InvalidSettingException(name, "must be a Twilio account SID: AC followed by 32 hexadecimal digits");
    }
    return value;
  }

  /** Comma-separated E.164 prefixes such as {@code +1900,+44871}. */
  private static List<String> prefixes(Function<String, String> source, String name) {
    Optional<String> value = text(source, name);
    if (value.isEmpty()) {
      return List.of();
    }
    List<String> prefixes = new ArrayList<>();
    for (String part : value.get().split(",")) {
      String prefix = part.strip();
      if (!E164_PREFIX.matcher(prefix).matches()) {
        throw new InvalidSettingException(name, "must list numbers or prefixes such as +1900,+44871, comma-separated");
      }
      prefixes.add(prefix);
    }
    return List.copyOf(prefixes);
  }

  private static Duration millis(Function<String, String> source, String name, long fallback) {
    return Duration.ofMillis(number(source, name, fallback));
  }

  private static long number(Function<String, String> source, String name, long fallback) {
    Optional<String> value = text(source, name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.get());
      if (parsed <= 0) {
        throw new InvalidSettingException(name, "must be a positive whole number");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new InvalidSettingException(name, "must be a positive whole number");
    }
  }

  /** A setting that is present but unusable; its message names the setting, never its value. */
  public static final class InvalidSettingException extends IllegalStateException {
    InvalidSettingException(String name, String problem) {
      super("Setting " + name + " " + problem);
    }
  }
}
