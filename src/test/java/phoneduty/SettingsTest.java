package phoneduty;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class SettingsTest {

  @Test
  public void defaults_pointAtPagerDutysUsServiceWithTightTimeouts() {
    Settings settings = Settings.of(Map.of());
    assertEquals(URI.create("https://events.pagerduty.com"), settings.pagerDutyEventsBaseUrl());
    assertEquals(URI.create("https://api.pagerduty.com"), settings.pagerDutyApiBaseUrl());
    assertTrue(settings.twilioAuthToken().isEmpty());
    assertTrue(settings.publicBaseUrl().isEmpty());
    assertTrue(settings.connectTimeout().compareTo(Duration.ofSeconds(5)) <= 0);
    assertTrue(settings.apiReadTimeout().compareTo(Duration.ofSeconds(5)) <= 0);
    assertEquals("TWILIO_AUTH_TOKEN, PAGERDUTY_API_TOKEN", settings.missingSecrets());
  }

  @Test
  public void euRegionAndPublicBaseUrl_areTakenWithoutTrailingSlash() {
    Settings settings = Settings.of(Map.of(
        "PAGERDUTY_EVENTS_BASE_URL", "https://events.eu.pagerduty.com/",
        "PUBLIC_BASE_URL", "https://example.appspot.com/"));
    assertEquals(URI.create("https://events.eu.pagerduty.com"), settings.pagerDutyEventsBaseUrl());
    assertEquals(URI.create("https://example.appspot.com"), settings.publicBaseUrl().orElseThrow());
  }

  @Test
  public void malformedUrl_failsFastNamingTheSetting() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Settings.of(Map.of("PUBLIC_BASE_URL", "example.appspot.com")));
    assertTrue(e.getMessage(), e.getMessage().contains("PUBLIC_BASE_URL"));
  }

  @Test
  public void malformedNumber_failsFastNamingTheSetting() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Settings.of(Map.of("PAGERDUTY_API_READ_TIMEOUT_MS", "soon")));
    assertTrue(e.getMessage(), e.getMessage().contains("PAGERDUTY_API_READ_TIMEOUT_MS"));
  }

  @Test
  public void userEmail_isOptional_andAMalformedOneFailsFastNamingTheSetting() {
    assertTrue(Settings.of(Map.of()).pagerDutyUserEmail().isEmpty());
    assertEquals("oncall-bot@example.com",
        Settings.of(Map.of("PAGERDUTY_USER_EMAIL", " oncall-bot@example.com ")).pagerDutyUserEmail().orElseThrow());
    for (String bad : new String[] {"oncall-bot", "Bot <bot@example.com>", "a@example.com,b@example.com",
        "bot@example.com\r\nX-Injected: 1", "bot@localhost"}) {
      IllegalStateException e = assertThrows(bad, IllegalStateException.class,
          () -> Settings.of(Map.of("PAGERDUTY_USER_EMAIL", bad)));
      assertTrue(e.getMessage(), e.getMessage().contains("PAGERDUTY_USER_EMAIL"));
      assertFalse("the value is not in the message", e.getMessage().contains("bot@"));
    }
  }

  @Test
  public void secrets_neverAppearInToString() {
    Settings settings = Settings.of(Map.of("TWILIO_AUTH_TOKEN", "twilio-secret-value",
        "PAGERDUTY_API_TOKEN", "pd-secret-value"));
    assertFalse(settings.toString().contains("secret-value"));
    assertTrue(settings.toString().contains("TWILIO_AUTH_TOKEN=(set)"));
    assertEquals("", settings.missingSecrets());
  }

  @Test
  public void callLogDays_defaultsTo30_andAMalformedValueFailsFastNamingIt() {
    assertEquals(30, Settings.of(Map.of()).callLogRetention().toDays());
    assertEquals(7, Settings.of(Map.of("CALL_LOG_DAYS", "7")).callLogRetention().toDays());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Settings.of(Map.of("CALL_LOG_DAYS", "a month")));
    assertTrue(e.getMessage(), e.getMessage().contains("CALL_LOG_DAYS"));
  }

  @Test
  public void abuseSettings_haveTheirDefaults_andAMalformedValueFailsFastNamingIt() {
    Settings defaults = Settings.of(Map.of());
    assertEquals(List.of(), defaults.blockedNumbers());
    assertEquals(10, defaults.repeatWindow().toMinutes());
    assertEquals(30, defaults.linePageLimit());
    assertEquals(List.of("+1900", "+14155550199"),
        Settings.of(Map.of("BLOCKED_NUMBERS", " +1900 ,+14155550199")).blockedNumbers());
    for (Map.Entry<String, String> bad : Map.of("BLOCKED_NUMBERS", "+1 call me", "REPEAT_WINDOW_MINUTES", "ten",
        "LINE_PAGE_LIMIT", "0").entrySet()) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> Settings.of(Map.of(bad.getKey(), bad.getValue())));
      assertTrue(e.getMessage(), e.getMessage().contains(bad.getKey()));
      assertTrue(e.getMessage(), !e.getMessage().contains(bad.getValue()) || bad.getValue().equals("0"));
    }
  }

  @Test
  public void twilioAccountSid_isOptional_andAMalformedOneFailsFastNamingTheSetting() {
    Settings without = Settings.of(Map.of());
    assertTrue(without.twilioAccountSid().isEmpty());
    assertEquals(URI.create("https://api.twilio.com"), without.twilioApiBaseUrl());
    assertEquals(Duration.ofSeconds(10), without.twilioReadTimeout());
    assertEquals("AC0123456789abcdef0123456789abcdef", Settings.of(Map.of("TWILIO_AUTH_TOKEN", "t",
        "TWILIO_ACCOUNT_SID", " AC0123456789abcdef0123456789abcdef ")).twilioAccountSid().orElseThrow());
    for (String bad : new String[] {"AC0123", "SK0123456789abcdef0123456789abcdef", "AC0123456789abcdef0123456789abcdeg",
        "AC0123456789abcdef0123456789abcdef0", "AC0123456789abcdef0123456789abcdef\r\nX: 1"}) {
      IllegalStateException e = assertThrows(bad, IllegalStateException.class,
          () -> Settings.of(Map.of("TWILIO_AUTH_TOKEN", "t", "TWILIO_ACCOUNT_SID", bad)));
      assertTrue(e.getMessage(), e.getMessage().contains("TWILIO_ACCOUNT_SID"));
      assertFalse("the value is not in the message", e.getMessage().contains("0123"));
    }
  }

  @Test
  public void twilioAccountSid_withoutTheAuthToken_failsFastNamingBoth() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Settings.of(Map.of("TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef")));
    assertTrue(e.getMessage(), e.getMessage().contains("TWILIO_ACCOUNT_SID"));
    assertTrue(e.getMessage(), e.getMessage().contains("TWILIO_AUTH_TOKEN"));
  }

  @Test
  public void twilioApiBaseUrl_andReadTimeout_areChecked() {
    Settings settings = Settings.of(Map.of("TWILIO_API_BASE_URL", "http://127.0.0.1:8089/", "TWILIO_READ_TIMEOUT_MS", "500"));
    assertEquals(URI.create("http://127.0.0.1:8089"), settings.twilioApiBaseUrl());
    assertEquals(Duration.ofMillis(500), settings.twilioReadTimeout());
    IllegalStateException url = assertThrows(IllegalStateException.class,
        () -> Settings.of(Map.of("TWILIO_API_BASE_URL", "api.twilio.com")));
    assertTrue(url.getMessage(), url.getMessage().contains("TWILIO_API_BASE_URL"));
    IllegalStateException timeout = assertThrows(IllegalStateException.class,
        () -> Settings.of(Map.of("TWILIO_READ_TIMEOUT_MS", "0")));
    assertTrue(timeout.getMessage(), timeout.getMessage().contains("TWILIO_READ_TIMEOUT_MS"));
  }

  @Test
  public void linkTtlDays_defaultsTo90_andAMalformedValueFailsFastNamingIt() {
    assertEquals(90, Settings.of(Map.of()).linkTtl().toDays());
    assertEquals(7, Settings.of(Map.of("LINK_TTL_DAYS", "7")).linkTtl().toDays());
    for (String bad : new String[] {"three months", "0", "-1", "1.5"}) {
      IllegalStateException e = assertThrows(bad, IllegalStateException.class,
          () -> Settings.of(Map.of("LINK_TTL_DAYS", bad)));
      assertTrue(e.getMessage(), e.getMessage().contains("LINK_TTL_DAYS"));
    }
  }
}
