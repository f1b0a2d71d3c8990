package phoneduty.oncall;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.appengine.api.taskqueue.TaskOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.Test;
import phoneduty.support.RecordingQueue;
import phoneduty.support.TestClock;

/** What the roster refresh queue asks for: a refresh a minute at most, and one just after each handover. */
public final class RosterRefreshQueueTest {

  private static final Instant NOW = Instant.parse("2026-11-22T06:00:00Z");
  private static final RosterKey LINE = RosterKey.of(List.of("PEP0001"), List.of("PSC0001"));

  private final TestClock clock = new TestClock(NOW);
  private final RecordingQueue recording = new RecordingQueue();
  private final RosterRefreshQueue queue = new RosterRefreshQueue(recording.queue(), clock);

  private static Roster rosterWithShiftsEndingIn(Duration... untilEnds) {
    Responder ada = new Responder("PUSER01", "Ada", List.of("+14155550101"), List.of());
    Responder grace = new Responder("PUSER02", "Grace", List.of("+14155550102"), List.of());
    Roster roster = new Roster(List.of(EscalationLevel.of(1, List.of(ada)), EscalationLevel.of(2, List.of(grace))), 0,
        "On call.", NOW, Optional.empty(), Map.of());
    return untilEnds.length == 0 ? roster : roster.withShiftEnds(untilEnds.length == 1
        ? Map.of("PUSER01", NOW.plus(untilEnds[0]))
        : Map.of("PUSER01", NOW.plus(untilEnds[0]), "PUSER02", NOW.plus(untilEnds[1])));
  }

  @Test
  public void requestAfterNextHandover_queuesTheLineForASecondAfterTheEarliestShiftEnd() {
    queue.requestAfterNextHandover(LINE, rosterWithShiftsEndingIn(Duration.ofMinutes(45), Duration.ofMinutes(30)));

    assertEquals(1, recording.added().size());
    TaskOptions task = recording.added().get(0);
    assertEquals(NOW.plus(Duration.ofMinutes(30)).plusSeconds(1).toEpochMilli(), (long) task.getEtaMillis());
    assertEquals(RosterRefreshQueue.HANDLER_PATH, task.getUrl());
    assertEquals(Map.of("escalation_policy", List.of("PEP0001"), "schedule", List.of("PSC0001")), task.getStringParams());
    assertTrue(task.getTaskName(), task.getTaskName().endsWith("-handover-" + NOW.plusSeconds(30 * 60 + 1).getEpochSecond()));
  }

  @Test
  public void requestAfterNextHandover_askedAgainForTheSameHandover_queuesItOnce() {
    Roster roster = rosterWithShiftsEndingIn(Duration.ofMinutes(30));
    queue.requestAfterNextHandover(LINE, roster);
    clock.advance(Duration.ofMinutes(1));
    queue.requestAfterNextHandover(LINE, roster);

    assertEquals(1, recording.added().size());
  }

  @Test
  public void requestAfterNextHandover_afterAHandover_queuesTheNextOne() {
    queue.requestAfterNextHandover(LINE, rosterWithShiftsEndingIn(Duration.ofMinutes(30), Duration.ofMinutes(50)));
    clock.advance(Duration.ofMinutes(31));
    queue.requestAfterNextHandover(LINE, rosterWithShiftsEndingIn(Duration.ofMinutes(30), Duration.ofMinutes(50)));

    assertEquals(2, recording.added().size());
    assertEquals(NOW.plus(Duration.ofMinutes(50)).plusSeconds(1).toEpochMilli(),
        (long) recording.added().get(1).getEtaMillis());
  }

  @Test
  public void requestAfterNextHandover_queuesNothingForAShiftEndingBeyondAnHour_orARosterWithoutEnds() {
    queue.requestAfterNextHandover(LINE, rosterWithShiftsEndingIn(Duration.ofMinutes(61)));
    queue.requestAfterNextHandover(LINE, rosterWithShiftsEndingIn());

    assertEquals(List.of(), recording.added());
  }

  @Test
  public void request_queuesAtMostOneRefreshAMinute_namedByTheMinute() {
    queue.request(LINE);
    clock.advance(Duration.ofSeconds(20));
    queue.request(LINE);

    List<TaskOptions> added = recording.added();
    assertEquals(2, added.size());
    assertEquals("the same name: Task Queue keeps one", added.get(0).getTaskName(), added.get(1).getTaskName());
    assertEquals(null, added.get(0).getEtaMillis());
  }
}
