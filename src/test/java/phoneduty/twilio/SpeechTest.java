package phoneduty.twilio;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.support.AppFixture;
import phoneduty.support.LogCapture;
import phoneduty.support.TwilioClient;
import phoneduty.support.Xml;
import phoneduty.text.Text;

/** Voices, languages and recorded greetings on every line, and the sentences in four languages. */
public class SpeechTest {

  @Rule public final AppFixture app = new AppFixture();

  static final String KEY = AppFixture.SERVICE_KEY;
  static final String CALL_SID = "CA0123456789abcdef0123456789abcdef";

  private Xml post(String pathAndQuery, Map<String, String> params) {
    HttpResponse<String> response = app.twilio.post(app.url(pathAndQuery), params);
    assertEquals(response.body(), 200, response.statusCode());
    return Xml.parse(response.body());
  }

  private Xml call(String pathAndQuery) {
    return post(pathAndQuery, TwilioClient.incomingCall(CALL_SID, "+14155550100"));
  }

  @Test
  public void call_inFrench_speaksTheDefaultGreetingAndTheThankYouInFrench_inTheLinesVoice() {
    Xml prompt = call("/call?service_key=" + KEY + "&voice=woman&language=fr-FR");

    assertEquals("Laissez un message pour joindre l'équipe d'astreinte.", prompt.text("/Response/Say[1]"));
    assertEquals("every Say", prompt.count("//Say"), prompt.count("//Say[@voice='woman' and @language='fr-FR']"));
    String action = prompt.text("/Response/Record/@action");
    assertEquals("/record?service_key=" + KEY + "&voice=woman&language=fr-FR", action);

    Xml thanks = post(action, TwilioClient.recordingDone(CALL_SID, "+14155550100", 12));
    assertEquals("Merci. Nous transmettons maintenant votre message à l'équipe d'astreinte. Au revoir.",
        thanks.text("/Response/Say"));
    assertEquals("fr-FR", thanks.text("/Response/Say/@language"));
  }

  @Test
  public void sentences_comeInEnglishGermanFrenchAndSpanish_andEnglishForOtherLanguages() {
    assertEquals("Leave a message to contact the on call staff.", Sentence.GREETING.english());
    for (Sentence sentence : Sentence.values()) {
      for (String language : new String[] {"de", "fr", "es"}) {
        String text = sentence.in(java.util.Locale.forLanguageTag(language), "X", "1");
        assertTrue(sentence + " in " + language, !text.isBlank() && !text.equals(sentence.english("X", "1"))
            && !text.contains("''"));
      }
    }
    assertEquals(Sentence.NO_RECORDING.english(), Sentence.NO_RECORDING.in(java.util.Locale.JAPANESE));
  }

  @Test
  public void pollyVoice_speaksItsOwnLanguage_withoutALanguageAttribute() {
    Xml prompt = call("/call?service_key=" + KEY + "&voice=Polly.Marlene&language=de-DE");

    assertEquals(prompt.count("//Say"), prompt.count("//Say[@voice='Polly.Marlene' and not(@language)]"));
    assertEquals("Hinterlassen Sie eine Nachricht für das Bereitschaftsteam.", prompt.text("/Response/Say[1]"));
  }

  @Test
  public void googleVoice_picksTheSentencesOfItsLanguage() {
    Xml prompt = call("/call?service_key=" + KEY + "&voice=Google.es-ES-Standard-A");
    assertEquals("Deje un mensaje para contactar al equipo de guardia.", prompt.text("/Response/Say[1]"));
    assertEquals(prompt.count("//Say"), prompt.count("//Say[@voice='Google.es-ES-Standard-A' and not(@language)]"));
  }

  @Test
  public void unknownVoiceOrLanguage_neverReachesTwilio_andIsLogged() {
    try (LogCapture log = LogCapture.of(Speech.class)) {
      Xml prompt = call("/call?service_key=" + KEY + "&voice=robot%0AFORGED&language=xx-YY");

      assertEquals(0, prompt.count("//Say[@voice or @language]"));
      assertEquals("Leave a message to contact the on call staff.", prompt.text("/Response/Say[1]"));
      assertTrue(log.text(), log.text().contains("Ignoring voice") && log.text().contains("Ignoring language"));
      assertTrue("no forged log line", !log.text().contains("\nFORGED"));
    }
  }

  @Test
  public void languageTheDefaultVoiceCannotSpeak_switchesToAlice_orIsDropped() {
    Xml japanese = call("/call?service_key=" + KEY + "&language=ja-JP");
    assertEquals(japanese.count("//Say"), japanese.count("//Say[@voice='alice' and @language='ja-JP']"));

    Xml alice = call("/call?service_key=" + KEY + "&voice=alice&language=" + Text.urlEncode("ar-XA"));
    assertEquals("a language alice cannot speak is dropped", 0, alice.count("//Say[@language]"));
  }

  @Test
  public void forward_speaksEveryStepInTheLinesLanguage() {
    app.pagerDutyApi.aliceThenBob("PEP0001");
    Xml ring = call("/forward?escalation_policy=PEP0001&service_key=" + KEY + "&voice=woman&language=es-ES");
    assertEquals("Por favor, espere mientras le comunicamos con el ingeniero de guardia.", ring.text("/Response/Say"));
    assertEquals("es-ES", ring.text("/Response/Say/@language"));

    String whisperUrl = ring.text("/Response/Dial/Number/@url");
    Xml whisper = post(whisperUrl, TwilioClient.responderLeg(CALL_SID, "+14155550100", "+14155550001"));
    assertTrue(whisper.text("/Response/Gather/Say[1]"),
        whisper.text("/Response/Gather/Say[1]").endsWith("Pulse 1 para aceptar."));
    assertEquals("es-ES", whisper.text("/Response/Gather/Say[1]/@language"));
  }

  @Test
  public void greetingAudio_isPlayedOnlyFromHttps() {
    Xml played = call("/call?service_key=" + KEY + "&greeting_audio=" + Text.urlEncode("https://example.com/g.mp3"));
    assertEquals("https://example.com/g.mp3", played.text("/Response/Play"));
    assertEquals(0, played.count("/Response/Say[1][following-sibling::Record]"));

    Xml spoken = call("/call?service_key=" + KEY + "&greeting=Hello&greeting_audio=" + Text.urlEncode("http://example.com/g.mp3"));
    assertEquals(0, spoken.count("//Play"));
    assertEquals("Hello", spoken.text("/Response/Say[1]"));
  }
}
