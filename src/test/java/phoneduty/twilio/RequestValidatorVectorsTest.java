package phoneduty.twilio;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.twilio.security.RequestValidator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.json.JSONArray;
import org.junit.Test;
import phoneduty.support.TwilioSigner;

/**
 * Twilio's published signature vectors against the validator the filter uses and against the
 * signer the tests use to play Twilio, so neither side of the other tests can drift.
 */
public class RequestValidatorVectorsTest {

  private static JSONArray vectors() throws Exception {
    return new JSONObject(new String(
        RequestValidatorVectorsTest.class.getResourceAsStream("/twilio/signature-vectors.json").readAllBytes(),
        StandardCharsets.UTF_8)).getJSONArray("vectors");
  }

  @Test
  public void everyFormVector_validatesAsPublished() throws Exception {
    JSONArray vectors = vectors();
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (int i = 0; i < vectors.length(); i++) {
      JSONObject vector = vectors.getJSONObject(i);
      if (!vector.has("params")) {
        continue;
      }
      Map<String, String> params = new HashMap<>();
      JSONObject json = vector.getJSONObject("params");
      for (String name : json.keySet()) {
        params.put(name, json.isNull(name) ? null : json.getString(name));
      }
      boolean valid = new RequestValidator(vector.getString("token"))
          .validate(vector.getString("url"), params, vector.getString("expected"));
      if (valid != vector.getBoolean("valid")) {
        failures.add(vector.getString("id"));
      }
      checked++;
    }
    assertTrue(checked >= 20);
    assertEquals(List.of(), failures);
  }

  @Test
  public void theTestSigner_reproducesTheDocumentedSignature() throws Exception {
    JSONObject a1 = vectors().getJSONObject(0);
    assertEquals("A1", a1.getString("id"));
    Map<String, String> params = new HashMap<>();
    for (String name : a1.getJSONObject("params").keySet()) {
      params.put(name, a1.getJSONObject("params").getString(name));
    }
    assertEquals(a1.getString("expected"), new TwilioSigner(a1.getString("token")).sign(a1.getString("url"), params));
  }
}
