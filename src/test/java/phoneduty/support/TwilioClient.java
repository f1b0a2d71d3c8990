package phoneduty.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Sends webhooks shaped and signed as Twilio sends them: form-encoded POST bodies (or a GET with
 * everything in the query), {@code X-Twilio-Signature}, Twilio's user agent, no redirects followed.
 */
public final class TwilioClient {

  private final TwilioSigner signer;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  public TwilioClient(String authToken) {
    this.signer = new TwilioSigner(authToken);
  }

  public HttpResponse<String> post(String url, Map<String, String> form) {
    return post(url, form, signer.sign(url, form));
  }

  /** A POST with the given signature header (null: none), for forged or tampered requests. */
  public HttpResponse<String> post(String url, Map<String, String> form, String signature) {
    return send(postRequest(url, form, signature));
  }

  /**
   * The signed POST that {@link #post(String, Map)} sends, built but not sent: the load generator
   * and the fault drill sign before they start the clock, and send with {@link #trySend}.
   */
  public HttpRequest signedPost(String url, Map<String, String> form) {
    return postRequest(url, form, signer.sign(url, form));
  }

  /**
   * A POST signed for {@code form} whose body is sent as these bytes: Twilio's signature covers
   * the decoded values, so bytes that decode to them (invalid UTF-8 decodes to U+FFFD) still pass.
   */
  public HttpResponse<String> postBytes(String url, Map<String, String> form, byte[] body) {
    return send(twilioRequest(url, signer.sign(url, form))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build());
  }

  /** Sends a request; null if it fails (refused, timed out), for callers that count failures. */
  public HttpResponse<String> trySend(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static HttpRequest postRequest(String url, Map<String, String> form, String signature) {
    return twilioRequest(url, signature)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(formBody(form)))
        .build();
  }

  /** A GET: the parameters go into the signed URL, as Twilio does for numbers set to GET. */
  public HttpResponse<String> get(String url, Map<String, String> parameters) {
    String full = withQuery(url, parameters);
    return send(twilioRequest(full, signer.sign(full, Map.of())).GET().build());
  }

  public HttpResponse<String> getUnsigned(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build());
  }

  public static String withQuery(String url, Map<String, String> parameters) {
    if (parameters.isEmpty()) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + formBody(parameters);
  }

  public static String formBody(Map<String, String> form) {
    StringJoiner body = new StringJoiner("&");
    form.forEach((name, value) -> body.add(
        URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return body.toString();
  }

  private static HttpRequest.Builder twilioRequest(String url, String signature) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("User-Agent", "TwilioProxy/1.1")
        .header("Accept", "*/*");
    if (signature != null) {
      request.header("X-Twilio-Signature", signature);
    }
    return request;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("Request to " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Parameters as Twilio sends them to a voice URL when a call comes in. */
  public static Map<String, String> incomingCall(String callSid, String from) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("AccountSid", "AC00000000000000000000000000000000");
    params.put("ApiVersion", "2010-04-01");
    params.put("CallSid", callSid);
    params.put("CallStatus", "ringing");
    params.put("Called", "+18005551212");
    params.put("Caller", from);
    params.put("Direction", "inbound");
    params.put("From", from);
    params.put("FromCity", "SAN FRANCISCO");
    params.put("FromCountry", "US");
    params.put("FromState", "CA");
    params.put("FromZip", "94103");
    params.put("To", "+18005551212");
    params.put("ToCountry", "US");
    return params;
  }

  /** What Twilio adds when {@code <Record>} finishes. */
  public static Map<String, String> recordingDone(String callSid, String from, int seconds) {
    Map<String, String> params = incomingCall(callSid, from);
    params.put("CallStatus", "completed");
    params.put("RecordingSid", "RE" + callSid.substring(2));
    params.put("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Recordings/RE"
        + callSid.substring(2));
    params.put("RecordingDuration", Integer.toString(seconds));
    params.put("Digits", "hangup");
    return params;
  }

  /**
   * Twilio's recording status callback for a recording it did not keep ({@code absent}): here the
   * caller hung up at the beep, so the recording was too short (error 16101). It names the call
   * and the recording, not the caller.
   */
  public static Map<String, String> recordingAbsent(String callSid) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("AccountSid", "AC00000000000000000000000000000000");
    params.put("CallSid", callSid);
    params.put("ErrorCode", "16101");
    params.put("RecordingChannels", "1");
    params.put("RecordingDuration", "0");
    params.put("RecordingSid", "RE" + callSid.substring(2));
    params.put("RecordingSource", "RecordVerb");
    params.put("RecordingStartTime", "Sun, 22 Nov 2026 06:00:05 +0000");
    params.put("RecordingStatus", "absent");
    params.put("RecordingTrack", "both");
    params.put("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Recordings/RE"
        + callSid.substring(2));
    return params;
  }

  /**
   * What Twilio sends on the responder's leg of a forwarded call (the whisper URL and the
   * Gather action): an outbound-dial child of the caller's call, to the responder's number.
   */
  public static Map<String, String> responderLeg(String parentCallSid, String caller, String to) {
    Map<String, String> params = incomingCall("CA99999999999999999999999999999999", caller);
    params.put("Direction", "outbound-dial");
    params.put("ParentCallSid", parentCallSid);
    params.put("To", to);
    params.put("CallStatus", "in-progress");
    return params;
  }

  /**
   * What Twilio posts to a {@code transcribeCallback} once a recording is transcribed (or the
   * transcription failed, with {@code status} "failed" and no text).
   */
  public static Map<String, String> transcription(String callSid, String from, String status, String text) {
    Map<String, String> params = incomingCall(callSid, from);
    params.put("CallStatus", "completed");
    params.put("RecordingSid", "RE" + callSid.substring(2));
    params.put("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Recordings/RE"
        + callSid.substring(2));
    params.put("TranscriptionSid", "TR" + callSid.substring(2));
    params.put("TranscriptionStatus", status);
    params.put("TranscriptionUrl", "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Transcriptions/TR"
        + callSid.substring(2));
    if (text != null) {
      params.put("TranscriptionText", text);
    }
    return params;
  }

  /** Parameters as Twilio sends them to a messaging URL. */
  public static Map<String, String> incomingSms(String messageSid, String from, String body) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("AccountSid", "AC00000000000000000000000000000000");
    params.put("ApiVersion", "2010-04-01");
    params.put("Body", body);
    params.put("From", from);
    params.put("FromCountry", "US");
    params.put("MessageSid", messageSid);
    params.put("NumMedia", "0");
    params.put("NumSegments", "1");
    params.put("SmsMessageSid", messageSid);
    params.put("SmsSid", messageSid);
    params.put("SmsStatus", "received");
    params.put("To", "+18005551212");
    return params;
  }
}
