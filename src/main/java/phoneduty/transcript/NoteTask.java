package phoneduty.transcript;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;
import phoneduty.delivery.DeliveryClaims;
import phoneduty.delivery.DeliveryTask;
import phoneduty.delivery.EventQueue;
import phoneduty.pagerduty.Failure;
import phoneduty.pagerduty.IncidentNotes;
import phoneduty.pagerduty.RestApiException;
import phoneduty.text.LogSafe;

/**
 * Adds one queued transcript note to its incident and says whether Task Queue should try again.
 *
 * <p>The incident may not exist yet: the voicemail's own event is queued too, and PagerDuty takes a
 * moment to open the incident. A note that finds none is retried, with the queue's backoff, for
 * {@link #INCIDENT_WAIT}; after that, and when PagerDuty refuses the note for good, the transcript
 * goes as a follow-up event instead, which reaches the same incident (or opens one), so it is
 * never silently lost. 429, 5xx, timeouts and unreachable are retried as event delivery is.
 *
 * @param notes empty when notes are no longer configured (a task queued before a redeploy): the
 *     transcript then goes as the follow-up event
 */
public record NoteTask(Optional<IncidentNotes> notes, DeliveryClaims claims, EventQueue events, Clock clock) {

  /** Longer than any delay of the voicemail's event short of a PagerDuty outage. */
  static final Duration INCIDENT_WAIT = Duration.ofHours(1);
  /** The task name's purpose of a transcript sent as a follow-up event. */
  static final String FALLBACK_PURPOSE = "transcript";
  private static final Logger log = Logger.getLogger(NoteTask.class.getName());

  public DeliveryTask.Result run(String taskName, String retryCount, String body) {
    String attempt = "task " + LogSafe.of(taskName) + ", retry " + LogSafe.of(retryCount);
    QueuedNote note;
    try {
      note = QueuedNote.fromJson(body);
    } catch (IllegalArgumentException e) {
      log.severe("Dropped " + attempt + ": its body is not a transcript note (" + LogSafe.of(e.getMessage()) + ")");
      return new DeliveryTask.Result(false, "not a transcript note");
    }
    if (taskName != null && !claims.claim(taskName, note.copyId())) {
      log.info("Skipped " + attempt + ": another copy of the transcript note of " + note.fallback()
          + " was added or is being added (Twilio repeated the callback)");
      return new DeliveryTask.Result(false, "added by another copy");
    }
    if (notes.isEmpty()) {
      return instead(note, "notes are not configured (PAGERDUTY_USER_EMAIL or PAGERDUTY_API_TOKEN unset)");
    }
    String incident;
    try {
      Optional<String> found = notes.get().findIncident(note.incidentKey());
      if (found.isEmpty()) {
        if (clock.instant().isAfter(note.receivedAt().plus(INCIDENT_WAIT))) {
          return instead(note, "PagerDuty has had no incident under its dedup key for " + INCIDENT_WAIT.toMinutes()
              + " minutes");
        }
        log.info("Will retry the transcript note of " + note.fallback() + " (" + attempt
            + "): PagerDuty has no incident under its dedup key yet");
        return new DeliveryTask.Result(true, "incident not found yet");
      }
      incident = found.get();
      notes.get().add(incident, note.content());
    } catch (RestApiException e) {
      if (retryable(e.failure())) {
        log.warning("Will retry the transcript note of " + note.fallback() + " (" + attempt + "): " + e.reason());
        return new DeliveryTask.Result(true, e.failure().toString());
      }
      log.severe("PagerDuty refused the transcript note of " + note.fallback() + " for good (" + attempt + "): "
          + e.reason());
      return instead(note, "PagerDuty refused the note");
    }
    log.info("Added the transcript of " + note.fallback() + " to incident " + incident + " (" + attempt + ")");
    return new DeliveryTask.Result(false, "note added to " + incident);
  }

  private static boolean retryable(Failure failure) {
    return failure == Failure.RATE_LIMITED || failure == Failure.SERVER_ERROR || failure == Failure.TIMEOUT
        || failure == Failure.UNREACHABLE;
  }

  /** Sends the transcript as the follow-up event; retries the note task only if even that cannot be queued. */
  private DeliveryTask.Result instead(QueuedNote note, String why) {
    log.warning("Sending the transcript of " + note.fallback() + " as a follow-up event instead of a note: " + why);
    try {
      events.enqueue(FALLBACK_PURPOSE, note.fallback());
    } catch (IllegalStateException e) {
      return new DeliveryTask.Result(true, "follow-up event not queued");
    }
    return new DeliveryTask.Result(false, "sent as a follow-up event: " + why);
  }
}
