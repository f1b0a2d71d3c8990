package phoneduty.pagerduty;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Posts events to PagerDuty's Events API v2 (alert events to {@code /v2/enqueue}, change events
 * to {@code /v2/change/enqueue}) and says whether to stop or try again.
 *
 * <p>202 means PagerDuty has the event. 400 (and the other client errors that a retry cannot
 * mend: 413, 422) means it never will, so the event is dropped with PagerDuty's reasons logged.
 * Everything else — 429, 5xx, other statuses, timeouts, refused connections — is retried, because
 * losing a page is worse than a late one.
 */
public final class EventsClient {

  private final String baseUrl;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  public EventsClient(URI baseUrl, Duration connectTimeout, Duration readTimeout) {
    this.baseUrl = baseUrl.toString().replaceAll("/+$", "");
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  public Delivery send(PagerDutyEvent event) {
    byte[] body = event.toJson().getBytes(StandardCharsets.UTF_8);
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) URI.create(baseUrl + event.path()).toURL().openConnection();
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
      return Delivery.forStatus(status, PagerDutyAnswers.body(connection, status));
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

  /**
   * What became of one attempt to deliver an event.
   *
   * @param status the HTTP status, or 0 when no answer came
   */
  public record Delivery(Outcome outcome, int status, String detail) {

    /** What the caller should do next. */
    public enum Outcome {
      DELIVERED,
      RETRY,
      REJECTED
    }

    static Delivery retry(int status, String detail) {
      return new Delivery(Outcome.RETRY, status, detail);
    }

    static Delivery forStatus(int status, String body) {
      if (status >= 200 && status < 300) {
        return new Delivery(Outcome.DELIVERED, status, "accepted");
      }
      if (status == 400 || status == 413 || status == 422) {
        return new Delivery(Outcome.REJECTED, status, "PagerDuty rejected the event: " + PagerDutyAnswers.errors(body));
      }
      String reason = status == 429 ? "PagerDuty is rate limiting (429)" : "PagerDuty answered " + status;
      return new Delivery(Outcome.RETRY, status, reason + ": " + PagerDutyAnswers.errors(body));
    }

    @Override
    public String toString() {
      return outcome + (status > 0 ? " (HTTP " + status + ")" : "") + ": " + detail;
    }
  }
}
