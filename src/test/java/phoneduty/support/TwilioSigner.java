package phoneduty.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs requests the way Twilio does (Base64 HMAC-SHA1 of the URL followed by the sorted POST
 * parameters), so tests can send what Twilio sends. Checked against Twilio's published vectors.
 */
public final class TwilioSigner {

  private final String authToken;

  public TwilioSigner(String authToken) {
    this.authToken = authToken;
  }

  public String sign(String url, Map<String, String> postParameters) {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(postParameters).forEach((name, value) -> data.append(name).append(value == null ? "" : value));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
