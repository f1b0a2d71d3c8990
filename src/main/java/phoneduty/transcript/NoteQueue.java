package phoneduty.transcript;

import com.google.appengine.api.taskqueue.Queue;
import com.google.appengine.api.taskqueue.TaskAlreadyExistsException;
import com.google.appengine.api.taskqueue.TaskOptions;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import phoneduty.delivery.EventQueue;

/**
 * Queues a transcript's note on the event queue ({@code pagerduty-events}, so it retries as pages
 * do), named after its incident so that a callback Twilio repeats queues it once.
 *
 * @param events takes the transcript as a follow-up event if the queue refuses the note task
 */
public record NoteQueue(Queue queue, EventQueue events) {

  public static final String HANDLER_PATH = "/tasks/pagerduty-note";
  private static final String PURPOSE = "transcript-note";
  private static final int ADD_ATTEMPTS = 3;
  private static final Logger log = Logger.getLogger(NoteQueue.class.getName());

  /** @return false when this transcript's note was queued before (a repeated callback) */
  public boolean enqueue(QueuedNote note) {
    TaskOptions task = TaskOptions.Builder.withUrl(HANDLER_PATH)
        .method(TaskOptions.Method.POST)
        .payload(note.toJson().getBytes(StandardCharsets.UTF_8), "application/json")
        .taskName(taskName(note));
    for (int attempt = 1; ; attempt++) {
      try {
        queue.add(task);
        log.fine("Queued the transcript note of " + note.fallback());
        return true;
      } catch (TaskAlreadyExistsException e) {
        log.info("The transcript note of " + note.fallback() + " was queued before; not queuing it twice");
        return false;
      } catch (RuntimeException e) {
        if (attempt < ADD_ATTEMPTS) {
          log.log(Level.WARNING, "Task Queue did not take the transcript note of " + note.fallback()
              + " (attempt " + attempt + "); trying again", e);
          continue;
        }
        // The event path has its own last resort (a direct delivery), so the transcript still lands.
        log.log(Level.SEVERE, "Task Queue did not take the transcript note of " + note.fallback()
            + "; sending it as a follow-up event instead", e);
        return events.enqueue(NoteTask.FALLBACK_PURPOSE, note.fallback());
      }
    }
  }

  /** After its incident and its text: a repeated callback repeats both, two voicemails in one incident do not. */
  static String taskName(QueuedNote note) {
    return EventQueue.taskName(PURPOSE + "-" + phoneduty.text.Text.sha256Hex(note.content()).substring(0, 12), note.fallback());
  }
}
