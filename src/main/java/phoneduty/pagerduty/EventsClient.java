package phoneduty.pagerduty;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import phoneduty.Settings;

/**
 * Posts events to PagerDuty's Events API v2 and says whether to stop or try again.
 *
 * <p>202 means PagerDuty has the event. 400 (and the other client errors that a retry cannot
 * mend: 413, 422) means it never will, so the event is dropped with PagerDuty's reasons logged.
 * Everything else — 429, 5xx, other statuses, timeouts, refused connections — is retried, because
 * losing a page is worse than a late one.
 */
public final class EventsClient {

  static final String ENQUEUE_PATH = "/v2/enqueue";
  private static final int MAX_ERROR_BODY_CHARS = 2000;

  private final URI enqueueUrl;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  public EventsClient(Settings settings) {
    this(settings.pagerDutyEventsBaseUrl(), settings.connectTimeout(), settings.eventsReadTimeout());
  }

  public EventsClient(URI baseUrl, Duration connectTimeout, Duration readTimeout) {
    this.enqueueUrl = URI.create(baseUrl.toString().replaceAll("/+$", "") + ENQUEUE_PATH);
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  public Delivery send(PagerDutyEvent event) {
    byte[] body = event.toJson().getBytes(StandardCharsets.UTF_8);
    HttpURLConnection connection = null;
    try {
      URL url = enqueueUrl.toURL();
      connection = (HttpURLConnection) url.openConnection();
      connection.setConnectTimeout((int) connectTimeout.toMillis());
      connection.setReadTimeout((int) readTimeout.toMillis());
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setInstanceFollowRedirects(false);
      connection.setRequestProperty("Content-Type", "application/json");
      connection.setRequestProperty("Accept", "application/json");
      connection.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      String answer = read(status < 400 ? connection.getInputStream() : connection.getErrorStream());
      return Delivery.forStatus(status, answer);
    } catch (SocketTimeoutException e) {
      return Delivery.retry(0, "PagerDuty did not answer in time (" + e.getMessage() + ")");
    } catch (IOException e) {
      return Delivery.retry(0, "PagerDuty could not be reached: " + e);
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  private static String read(InputStream in) throws IOException {
    if (in == null) {
      return "";
    }
    try (InputStream body = in) {
      byte[] bytes = body.readNBytes(64 * 1024);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** What became of one attempt to deliver an event. */
  public static final class Delivery {

    /** What the caller should do next. */
    public enum Outcome {
      DELIVERED,
      RETRY,
      REJECTED
    }

    private final Outcome outcome;
    private final int status;
    private final String detail;

    private Delivery(Outcome outcome, int status, String detail) {
      this.outcome = outcome;
      this.status = status;
      this.detail = detail;
    }

    static Delivery retry(int status, String detail) {
      return new Delivery(Outcome.RETRY, status, detail);
    }

    static Delivery forStatus(int status, String body) {
      if (status >= 200 && status < 300) {
        return new Delivery(Outcome.DELIVERED, status, "accepted");
      }
      if (status == 400 || status == 413 || status == 422) {
        return new Delivery(Outcome.REJECTED, status, "PagerDuty rejected the event: " + errors(body));
      }
      String reason = status == 429 ? "PagerDuty is rate limiting (429)" : "PagerDuty answered " + status;
      return new Delivery(Outcome.RETRY, status, reason + ": " + errors(body));
    }

    /** PagerDuty's {@code message} and {@code errors}, or the start of whatever it sent. */
    static String errors(String body) {
      try {
        JSONObject json = new JSONObject(body);
        StringBuilder text = new StringBuilder(json.optString("message", json.optString("status", "")));
        JSONArray errors = json.optJSONArray("errors");
        if (errors != null) {
          for (int i = 0; i < errors.length(); i++) {
            text.append(i == 0 ? " — " : "; ").append(errors.optString(i));
          }
        }
        return text.toString();
      } catch (JSONException e) {
        String trimmed = body.strip();
        return trimmed.length() <= MAX_ERROR_BODY_CHARS ? trimmed : trimmed.substring(0, MAX_ERROR_BODY_CHARS) + "…";
      }
    }

    public Outcome outcome() {
      return outcome;
    }

    /** The HTTP status, or 0 when no answer came. */
    public int status() {
      return status;
    }

    public String detail() {
      return detail;
    }

    @Override
    public String toString() {
      return outcome + (status > 0 ? " (HTTP " + status + ")" : "") + ": " + detail;
    }
  }
}
