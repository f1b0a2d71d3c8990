package phoneduty.pagerduty;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import phoneduty.text.Text;

/** Reading what PagerDuty answered, the same way for the Events API and the REST API. */
final class PagerDutyAnswers {

  /** More than any answer phoneduty reads (an on-call page of 100 entries is ~100 KB). */
  static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
  static final int MAX_ERROR_CHARS = 300;

  private PagerDutyAnswers() {}

  /** The answer's body (the error stream for 4xx and 5xx), at most {@link #MAX_BODY_BYTES}. */
  static String body(HttpURLConnection connection, int status) throws IOException {
    InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
    if (in == null) {
      return "";
    }
    try (InputStream body = in) {
      return new String(body.readNBytes(MAX_BODY_BYTES), StandardCharsets.UTF_8);
    }
  }

  /**
   * PagerDuty's own words about an error, in one line of at most {@value #MAX_ERROR_CHARS}
   * characters: the Events API's {@code {message, errors}} or the REST API's {@code {error:
   * {message, code, errors}}}; the start of the body when it is not JSON.
   */
  static String errors(String body) {
    String text;
    try {
      JSONObject json = new JSONObject(body);
      JSONObject error = json.optJSONObject("error");
      JSONObject source = error != null ? error : json;
      StringBuilder words = new StringBuilder(source.optString("message", source.optString("status", "")));
      if (source.has("code")) {
        words.append(" (code ").append(source.opt("code")).append(")");
      }
      JSONArray errors = source.optJSONArray("errors");
      for (int i = 0; errors != null && i < errors.length(); i++) {
        words.append(i == 0 ? ": " : "; ").append(errors.optString(i));
      }
      text = words.toString();
    } catch (JSONException e) {
      text = body;
    }
    return Text.cutWithEllipsis(text.replaceAll("\\p{Cntrl}", " ").strip(), MAX_ERROR_CHARS);
  }
}
