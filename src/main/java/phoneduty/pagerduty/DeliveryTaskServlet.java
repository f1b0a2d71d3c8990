package phoneduty.pagerduty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.Settings;
import phoneduty.shortlink.ShortLinks;

/**
 * The push task that delivers one queued event to PagerDuty. A 2xx answer ends the task; any
 * other makes Task Queue retry it with the backoff set in queue.xml.
 *
 * <p>Only Task Queue may call it: web.xml limits the path to admins, and App Engine strips the
 * {@code X-AppEngine-QueueName} header from outside requests, so its presence proves the caller.
 */
public final class DeliveryTaskServlet extends HttpServlet {

  static final String QUEUE_HEADER = "X-AppEngine-QueueName";
  static final String TASK_NAME_HEADER = "X-AppEngine-TaskName";
  private static final Logger log = Logger.getLogger(DeliveryTaskServlet.class.getName());

  private final EventsClient client;
  private final ShortLinks shortLinks;
  private final DeliveryClaims claims;

  public DeliveryTaskServlet() {
    this(new EventsClient(Settings.current()), new ShortLinks(), new DeliveryClaims());
  }

  public DeliveryTaskServlet(EventsClient client, ShortLinks shortLinks, DeliveryClaims claims) {
    this.client = client;
    this.shortLinks = shortLinks;
    this.claims = claims;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    if (request.getHeader(QUEUE_HEADER) == null) {
      log.warning("Refused a call to " + request.getRequestURI() + " that did not come from Task Queue");
      response.sendError(HttpServletResponse.SC_FORBIDDEN, "Only Task Queue may call this");
      return;
    }
    String taskName = request.getHeader(TASK_NAME_HEADER);
    String attempt = "task " + taskName
        + ", retry " + request.getHeader("X-AppEngine-TaskRetryCount");
    QueuedEvent queued;
    try {
      queued = QueuedEvent.fromJson(new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      // A body we cannot read will not become readable by retrying; drop it loudly.
      log.severe("Dropped " + attempt + ": its body is not a PagerDuty event (" + e.getMessage() + ")");
      response.setStatus(HttpServletResponse.SC_OK);
      return;
    }
    if (taskName != null && queued.copy().isPresent() && !claims.claim(taskName, queued.copy().get())) {
      log.info("Skipped " + attempt + ": another copy of " + queued.event()
          + " was delivered or is being delivered (Twilio repeated the webhook)");
      response.setStatus(HttpServletResponse.SC_OK);
      return;
    }
    PagerDutyEvent event = queued.storeLinks(shortLinks);
    EventsClient.Delivery delivery = client.send(event);
    switch (delivery.outcome()) {
      case DELIVERED:
        log.info("Delivered " + event + " to PagerDuty (" + attempt + ")");
        response.setStatus(HttpServletResponse.SC_OK);
        break;
      case REJECTED:
        log.severe("PagerDuty refused " + event + " for good (" + attempt + "): " + delivery
            + "; summary was: " + event.summary().orElse("(none)"));
        response.setStatus(HttpServletResponse.SC_OK);
        break;
      default:
        log.warning("Will retry " + event + " (" + attempt + "): " + delivery);
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        break;
    }
    response.setContentType("text/plain; charset=UTF-8");
    response.getWriter().write(delivery.toString());
  }
}
