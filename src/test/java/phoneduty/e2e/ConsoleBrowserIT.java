package phoneduty.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import phoneduty.support.Browser;
import phoneduty.support.DevServer;
import phoneduty.support.FakePagerDuty;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;

/**
 * The console in real headless Chromium against the app in the dev server: sign in on the dev
 * server's login page, see a voicemail and a text that were just sent appear as delivered, open a
 * timeline, build a URL, send a test page and see PagerDuty accept it, and find a hostile text
 * shown as text. Each page is saved to target/screenshots/.
 */
public class ConsoleBrowserIT {

  private static final String TOKEN = "console-auth-token";
  private static final String KEY = "c0n5o1e0123456789abcdef012345678";
  private static final String CALL = "CA00000000000000000000000000000c01";
  private static final String TEXT = "SM00000000000000000000000000000c02";
  private static final String HOSTILE = "<script>alert(1)</script> \"><img src=x onerror=alert(1)>";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static FakePagerDuty pagerDuty;
  private static DevServer server;
  private static Browser browser;
  private static final TwilioClient twilio = new TwilioClient(TOKEN);

  @BeforeClass
  public static void start() throws Exception {
    pagerDuty = FakePagerDuty.start();
    server = DevServer.builder()
        .env("TWILIO_AUTH_TOKEN", TOKEN)
        .env("PAGERDUTY_EVENTS_BASE_URL", pagerDuty.baseUrl().toString())
        .start();
    sendVoicemailAndText();
    browser = Browser.start(1100, 900);
    signIn();
  }

  @AfterClass
  public static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
    if (pagerDuty != null) {
      pagerDuty.close();
    }
  }

  private static String url(String path) {
    return server.baseUrl() + path;
  }

  private static void sendVoicemailAndText() throws Exception {
    Map<String, String> call = TwilioClient.incomingCall(CALL, "+14155550101");
    String action = Xml.parse(twilio.post(url("/call?service_key=" + KEY), call).body()).text("/Response/Record/@action");
    twilio.post(URI.create(url("/call")).resolve(action).toString(), TwilioClient.recordingDone(CALL, "+14155550101", 14));
    twilio.post(url("/sms?service_key=" + KEY), TwilioClient.incomingSms(TEXT, "+14155550102", HOSTILE));
    pagerDuty.awaitEvent(e -> CALL.equals(e.getString("dedup_key")), WAIT);
    pagerDuty.awaitEvent(e -> TEXT.equals(e.getString("dedup_key")), WAIT);
  }

  /** The dev server's own login page, as an administrator. */
  private static void signIn() {
    WebDriver driver = browser.driver();
    driver.get(url("/admin"));
    browser.await(WAIT, d -> !d.findElements(By.id("btn-login")).isEmpty());
    WebElement email = driver.findElement(By.id("email"));
    email.clear();
    email.sendKeys("oncall-admin@example.com");
    WebElement admin = driver.findElement(By.id("isAdmin"));
    if (!admin.isSelected()) {
      admin.click();
    }
    driver.findElement(By.id("btn-login")).click();
    browser.await(WAIT, d -> d.getTitle().startsWith("Lines"));
  }

  /** Reloads until the text appears (the delivery task updates the log just after PagerDuty answers). */
  private static void reloadUntil(String text) {
    browser.await(WAIT, d -> {
      if (d.findElement(By.tagName("body")).getText().contains(text)) {
        return true;
      }
      d.navigate().refresh();
      return false;
    });
  }

  @Test
  public void callLog_showsTheVoicemailAndTheTextAsDelivered_andTheTimelineOfTheCall() throws Exception {
    WebDriver driver = browser.driver();
    driver.get(url("/admin"));
    assertTrue(driver.findElement(By.tagName("body")).getText().contains("/call"));
    browser.screenshot("console-lines");

    driver.get(url("/admin/calls"));
    browser.await(WAIT, d -> {
      List<WebElement> rows = d.findElements(By.cssSelector("#calls tr"));
      long delivered = rows.stream().filter(r -> r.getText().contains("delivered")).count();
      if (delivered >= 2) {
        return true;
      }
      d.navigate().refresh();
      return false;
    });
    String log = driver.findElement(By.id("calls")).getText();
    assertTrue(log, log.contains("+14155550101") && log.contains("+14155550102"));
    browser.screenshot("console-call-log");

    driver.get(url("/admin/calls?kind=call"));
    driver.findElement(By.cssSelector("#calls tr:nth-child(2) a")).click();
    browser.await(WAIT, d -> d.getTitle().startsWith("Call " + CALL));
    String timeline = driver.findElement(By.id("timeline")).getText();
    assertTrue(timeline, timeline.contains("greeting played") && timeline.contains("voicemail left"));
    String recording = driver.findElement(By.id("recording")).getAttribute("href");
    assertTrue(recording, recording.startsWith(server.baseUrl() + "/r/"));
    assertTrue(driver.findElement(By.id("deliveries")).getText().contains("page delivered"));
    browser.screenshot("console-call-timeline");
  }

  @Test
  public void hostileText_isShownAsText() throws Exception {
    WebDriver driver = browser.driver();
    driver.get(url("/admin/calls/" + TEXT));
    assertEquals(HOSTILE, driver.findElement(By.id("text")).getText());
    assertTrue(driver.findElements(By.cssSelector("main script, main img")).isEmpty());
    browser.screenshot("console-hostile-text");
  }

  @Test
  public void urlBuilder_givesTheForwardingUrlOfThisDeployment() throws Exception {
    WebDriver driver = browser.driver();
    driver.get(url("/admin/lines/new"));
    new Select(driver.findElement(By.id("type"))).selectByValue("forward");
    driver.findElement(By.id("service_key")).sendKeys(KEY);
    driver.findElement(By.id("escalation_policy")).sendKeys("PABC123");
    driver.findElement(By.id("greeting")).sendKeys("Hold on");
    driver.findElement(By.cssSelector("#builder button")).click();
    String built = browser.await(WAIT, d -> d.findElements(By.id("webhook-url")).isEmpty() ? null
        : d.findElement(By.id("webhook-url")).getText());
    assertEquals(url("/forward?escalation_policy=PABC123&service_key=" + KEY + "&greeting=Hold+on"), built);
    browser.screenshot("console-url-builder");
  }

  @Test
  public void testPage_isQueuedAndPagerDutyAcceptsIt() throws Exception {
    WebDriver driver = browser.driver();
    driver.get(url("/admin"));
    driver.findElement(By.cssSelector("section.card button")).click();
    browser.await(WAIT, d -> d.getTitle().startsWith("Call TEST"));
    reloadUntil("PagerDuty accepted the test page.");
    assertTrue(pagerDuty.events().stream().anyMatch(e ->
        e.getJSONObject("payload").getString("summary").startsWith("TEST: ")));
    browser.screenshot("console-test-page");

    // The dashboard as an on-call engineer's phone shows it.
    driver.manage().window().setSize(new Dimension(412, 915));
    try {
      driver.get(url("/admin"));
      browser.screenshot("console-lines-on-a-phone");
    } finally {
      driver.manage().window().setSize(new Dimension(1100, 900));
    }
  }
}
