package phoneduty.calllog;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a record's page stands, as the delivery task last reported it.
 *
 * @param attempts delivery attempts so far
 * @param answer PagerDuty's last answer or the last error ("HTTP 202: accepted", "HTTP 503: …")
 */
public record PageState(PageStatus status, int attempts, String answer, Optional<Instant> updatedAt) {

  public static final PageState NONE = new PageState(PageStatus.NONE, 0, "", Optional.empty());
  public static final PageState QUEUED = new PageState(PageStatus.QUEUED, 0, "", Optional.empty());
}
