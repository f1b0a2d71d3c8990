package phoneduty.calllog;

import java.time.Instant;

/** A {@link Step} of a call, with the time it was taken. */
public record TimelineEntry(Instant at, Step step) {

  /** True for the steps of the page's delivery (queued, delivered, retrying, refused). */
  public boolean isDelivery() {
    return step.name().startsWith("page ") || step.name().startsWith("acknowledge ");
  }
}
