package phoneduty.menu;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.support.AppFixture;
import phoneduty.support.LogCapture;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;
import phoneduty.text.Text;

public class MenuTest {

  @Rule public final AppFixture app = new AppFixture();

  static final String KEY = AppFixture.SERVICE_KEY;
  static final String CALL_SID = "CA0123456789abcdef0123456789abcdef";
  static final String DATABASES = "/call?service_key=" + KEY + "&greeting=Leave+a+message+for+the+DBAs.";
  static final String NETWORK = "/forward?escalation_policy=PEP0001&service_key=" + KEY;
  static final String MENU = "/menu?greeting=" + Text.urlEncode("Welcome to the on call line.")
      + "&option1=" + Text.urlEncode("databases|" + DATABASES)
      + "&option2=" + Text.urlEncode("the network|" + NETWORK);

  private Xml post(String pathAndQuery, Map<String, String> extra) {
    Map<String, String> params = TwilioClient.incomingCall(CALL_SID, "+14155550100");
    params.putAll(extra);
    HttpResponse<String> response = app.twilio.post(app.url(pathAndQuery), params);
    assertEquals(response.body(), 200, response.statusCode());
    return Xml.parse(response.body());
  }

  /** The gather's action, as Twilio resolves it against the menu's URL. */
  private static String choice(Xml menu) {
    return URI.create("http://x/menu").resolve(menu.text("/Response/Gather/@action")).toString().substring("http://x".length());
  }

  @Test
  public void menu_saysTheGreetingAndEachOption_andWaitsForOneKey() {
    Xml menu = post(MENU, Map.of());

    assertEquals("1", menu.text("/Response/Gather/@numDigits"));
    assertEquals("Welcome to the on call line.", menu.text("/Response/Gather/Say[1]"));
    assertEquals("For databases, press 1.", menu.text("/Response/Gather/Say[2]"));
    assertEquals("For the network, press 2.", menu.text("/Response/Gather/Say[3]"));
    assertEquals("no speech unless asked", "", menu.text("/Response/Gather/@input"));
    assertEquals("silence comes back to the menu", menu.text("/Response/Gather/@action"), menu.text("/Response/Redirect"));
  }

  @Test
  public void eachKey_sendsTheCallOnToItsOptionsWebhook() {
    String choice = choice(post(MENU, Map.of()));

    assertEquals(DATABASES, post(choice, Map.of("Digits", "1")).text("/Response/Redirect"));
    assertEquals(NETWORK, post(choice, Map.of("Digits", "2")).text("/Response/Redirect"));
    assertEquals("POST", post(choice, Map.of("Digits", "2")).text("/Response/Redirect/@method"));
  }

  @Test
  public void keyThatIsNoOption_saysSo_andPlaysTheMenuAgain() {
    Xml again = post(choice(post(MENU, Map.of())), Map.of("Digits", "7"));

    assertEquals("That is not an option.", again.text("/Response/Gather/Say[1]"));
    assertEquals("Welcome to the on call line.", again.text("/Response/Gather/Say[2]"));
    assertEquals(0, again.count("/Response/Gather/following-sibling::Redirect[contains(., '/call')]"));
  }

  @Test
  public void silence_repeatsTheMenuThreeTimes_thenTakesTheDefaultOption_neverHangsUp() {
    Xml menu = post(MENU + "&default=2", Map.of());
    for (int round = 2; round <= 3; round++) {
      menu = post(choice(menu), Map.of());
      assertEquals("round " + round, "For databases, press 1.", menu.text("/Response/Gather/Say[2]"));
      assertEquals(0, menu.count("//Hangup"));
    }
    Xml chosen = post(choice(menu), Map.of());
    assertEquals(NETWORK, chosen.text("/Response/Redirect"));
  }

  @Test
  public void speech_letsCallersSayALabel_withTheLabelsAsHints() {
    Xml menu = post(MENU + "&speech=true", Map.of());
    assertEquals("dtmf speech", menu.text("/Response/Gather/@input"));
    assertEquals("databases, the network", menu.text("/Response/Gather/@hints"));

    assertEquals(NETWORK, post(choice(menu), Map.of("SpeechResult", "The network, please.")).text("/Response/Redirect"));
    assertEquals("That is not an option.",
        post(choice(menu), Map.of("SpeechResult", "billing")).text("/Response/Gather/Say[1]"));
  }

  @Test
  public void optionsThatAreNotPhonedutysOwnVoiceWebhooks_areLeftOut_andLogged() {
    String menuUrl = "/menu?option1=" + Text.urlEncode("databases|" + DATABASES)
        + "&option2=" + Text.urlEncode("evil|https://evil.example/call")
        + "&option3=" + Text.urlEncode("links|/r/abcdefABCDEF")
        + "&option4=" + Text.urlEncode("tasks|/tasks/pagerduty-event")
        + "&option5=" + Text.urlEncode("admin|/admin")
        + "&option6=" + Text.urlEncode("other host|//evil.example/call")
        + "&option7=" + Text.urlEncode("no path");
    try (LogCapture log = LogCapture.of(Menus.class)) {
      Xml menu = post(menuUrl, Map.of());

      assertEquals(1, menu.count("/Response/Gather/Say"));
      assertEquals("For databases, press 1.", menu.text("/Response/Gather/Say[1]"));
      for (int key = 2; key <= 7; key++) {
        assertTrue(log.text(), log.text().contains("option" + key + " is left out"));
      }
      assertTrue("a refused key is no option", post(choice(menu), Map.of("Digits", "2")).text("/Response/Gather/Say[1]")
          .equals("That is not an option."));
    }
  }

  @Test
  public void menuWithNoValidOption_explainsItself_andTakesAVoicemailForAnOptionsServiceKey() {
    Xml twiml = post("/menu?option1=" + Text.urlEncode("evil|https://evil.example/call?service_key=" + KEY), Map.of());

    assertEquals("Sorry, this on call line's menu is not set up correctly.", twiml.text("/Response/Say[1]"));
    assertEquals("/record?service_key=" + KEY, twiml.text("/Response/Record/@action"));
  }

  @Test
  public void menuWithNoOptionAndNoKey_explainsItselfAndHangsUp() {
    Xml twiml = post("/menu?greeting=Hi", Map.of());
    assertTrue(twiml.text("/Response/Say[1]"), twiml.text("/Response/Say[1]").contains("not configured correctly"));
    assertEquals(1, twiml.count("/Response/Hangup"));
  }

  @Test
  public void voiceAndLanguage_applyToEverySay_andTheSentencesAreTranslated() {
    Xml menu = post(MENU + "&voice=woman&language=de-DE", Map.of());

    assertEquals(3, menu.count("/Response/Gather/Say[@voice='woman' and @language='de-DE']"));
    assertEquals("Für databases drücken Sie die 1.", menu.text("/Response/Gather/Say[2]"));
    Xml again = post(choice(menu), Map.of("Digits", "9"));
    assertEquals("Diese Auswahl gibt es nicht.", again.text("/Response/Gather/Say[1]"));
    assertEquals(4, again.count("/Response/Gather/Say[@voice='woman' and @language='de-DE']"));
  }

  @Test
  public void greetingAudio_isPlayedInsteadOfSpoken() {
    Xml menu = post(MENU + "&greeting_audio=" + Text.urlEncode("https://example.com/hello.mp3"), Map.of());
    assertEquals("https://example.com/hello.mp3", menu.text("/Response/Gather/Play"));
    assertEquals("For databases, press 1.", menu.text("/Response/Gather/Say[1]"));
  }

  @Test
  public void hostileLabelsAndGreetings_stillAnswerWellFormedTwiml() {
    String hostile = "\u0000\u0007</Say><Hangup/>\r\nFORGED \uFFFF\uD800";
    Xml menu = post("/menu?greeting=" + Text.urlEncode(hostile) + "&option1="
        + Text.urlEncode(hostile + "|" + DATABASES) + "&default=" + Text.urlEncode(hostile), Map.of());

    assertEquals("the markup is text, not TwiML", 0, menu.count("//Hangup"));
    assertTrue(menu.text("/Response/Gather/Say[2]"), menu.text("/Response/Gather/Say[2]").contains("</Say><Hangup/>"));
    assertEquals(DATABASES, post(choice(menu), Map.of("Digits", "1")).text("/Response/Redirect"));
  }
}
