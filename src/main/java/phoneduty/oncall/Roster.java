package phoneduty.oncall;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import phoneduty.pagerduty.Failure;

/**
 * The latest on-call answer phoneduty holds for one line's escalation policies and schedules, and
 * when PagerDuty gave it. An answer of "nobody on call" (or nobody with a phone number) is a
 * roster too: it has no levels, says why in {@code reason}, and which of the two in
 * {@code emptyBecause}.
 *
 * @param levels escalation order, level 1 first; only levels with at least one phone number
 * @param loops how many more times to go round all levels after the last (the escalation
 *     policy's {@code num_loops}; 0 for schedules)
 * @param reason what PagerDuty's answer was, in one sentence fit for logs and incidents
 * @param fetchedAt when PagerDuty gave this answer
 * @param emptyBecause for a roster without levels, {@link Failure#NOBODY_ON_CALL} or {@link
 *     Failure#NO_PHONE_NUMBERS}; empty otherwise
 * @param shiftEnds when each responder's on-call shift ends, by user id, as PagerDuty said; a
 *     responder without one is on call until PagerDuty says otherwise
 */
public record Roster(List<EscalationLevel> levels, int loops, String reason, Instant fetchedAt,
    Optional<Failure> emptyBecause, Map<String, Instant> shiftEnds) {

  public Roster {
    levels = List.copyOf(levels);
    shiftEnds = Map.copyOf(shiftEnds);
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
    if (loops < 0) {
      throw new IllegalArgumentException("loops " + loops);
    }
    emptyBecause = levels.isEmpty() ? Optional.of(emptyBecause.orElse(Failure.NOBODY_ON_CALL)) : Optional.empty();
  }

  /** A roster; one without levels reads as "nobody on call". */
  public Roster(List<EscalationLevel> levels, int loops, String reason, Instant fetchedAt) {
    this(levels, loops, reason, fetchedAt, Optional.empty());
  }

  /** A roster without shift ends. */
  public Roster(List<EscalationLevel> levels, int loops, String reason, Instant fetchedAt,
      Optional<Failure> emptyBecause) {
    this(levels, loops, reason, fetchedAt, emptyBecause, Map.of());
  }

  /** This roster with the shift ends of its responders (others' are not kept). */
  Roster withShiftEnds(Map<String, Instant> ends) {
    Map<String, Instant> kept = new LinkedHashMap<>();
    levels.forEach(level -> level.responders().forEach(responder -> {
      Instant end = ends.get(responder.userId());
      if (end != null) {
        kept.put(responder.userId(), end);
      }
    }));
    return new Roster(levels, loops, reason, fetchedAt, emptyBecause, kept);
  }

  /**
   * The roster as it stands at this instant: without the responders whose shift has ended since
   * PagerDuty gave it, so a roster rung while PagerDuty is unreachable never rings the engineer
   * who handed over, and without levels left empty.
   */
  public Roster onCallAt(Instant now) {
    if (shiftEnds.values().stream().allMatch(end -> end.isAfter(now))) {
      return this;
    }
    List<EscalationLevel> current = new ArrayList<>();
    List<String> ended = new ArrayList<>();
    for (EscalationLevel level : levels) {
      List<Responder> still = new ArrayList<>();
      for (Responder responder : level.responders()) {
        Instant end = shiftEnds.get(responder.userId());
        if (end != null && !end.isAfter(now)) {
          ended.add(responder.name());
        } else {
          still.add(responder);
        }
      }
      if (!still.isEmpty()) {
        current.add(EscalationLevel.of(level.level(), still));
      }
    }
    String endedText = "the on-call shift of " + String.join(", ", ended) + " ended after PagerDuty last answered";
    return current.isEmpty()
        ? new Roster(List.of(), loops, "Nobody known to be on call: " + endedText + ".", fetchedAt,
            Optional.of(Failure.NOBODY_ON_CALL), Map.of())
        : new Roster(current, loops, reason + " (" + endedText + ")", fetchedAt, Optional.empty(), shiftEnds);
  }

  /** True when there is someone to ring. */
  public boolean anyoneToRing() {
    return !levels.isEmpty();
  }

  /** The roster as kept in Memcache and Datastore. */
  public String toJson() {
    JSONArray levelsJson = new JSONArray();
    for (EscalationLevel level : levels) {
      JSONArray responders = new JSONArray();
      for (Responder responder : level.responders()) {
        JSONObject json = new JSONObject().put("id", responder.userId()).put("name", responder.name())
            .put("phones", new JSONArray(responder.phoneNumbers()));
        if (!responder.textNumbers().isEmpty()) {
          json.put("texts", new JSONArray(responder.textNumbers()));
        }
        responders.put(json);
      }
      levelsJson.put(new JSONObject().put("level", level.level()).put("responders", responders));
    }
    JSONObject json = new JSONObject().put("levels", levelsJson).put("loops", loops).put("reason", reason)
        .put("fetched_at", fetchedAt.toString());
    emptyBecause.ifPresent(failure -> json.put("empty_because", failure.name()));
    if (!shiftEnds.isEmpty()) {
      JSONObject ends = new JSONObject();
      shiftEnds.forEach((userId, end) -> ends.put(userId, end.toString()));
      json.put("shift_ends", ends);
    }
    return json.toString();
  }

  /**
   * Reads back {@link #toJson()}.
   *
   * @throws IllegalArgumentException if it is not a roster
   */
  public static Roster fromJson(String text) {
    try {
      JSONObject json = new JSONObject(text);
      List<EscalationLevel> levels = new ArrayList<>();
      JSONArray levelsJson = json.getJSONArray("levels");
      for (int i = 0; i < levelsJson.length(); i++) {
        JSONObject level = levelsJson.getJSONObject(i);
        List<Responder> responders = new ArrayList<>();
        JSONArray respondersJson = level.getJSONArray("responders");
        for (int j = 0; j < respondersJson.length(); j++) {
          JSONObject responder = respondersJson.getJSONObject(j);
          // A roster stored without SMS numbers reads back with none.
          responders.add(new Responder(responder.getString("id"), responder.getString("name"),
              strings(responder.getJSONArray("phones")), strings(responder.optJSONArray("texts"))));
        }
        levels.add(EscalationLevel.of(level.getInt("level"), responders));
      }
      Optional<Failure> emptyBecause = json.has("empty_because")
          ? Optional.of(Failure.valueOf(json.getString("empty_because"))) : Optional.empty();
      // A roster stored before shift ends were kept reads back without them.
      Map<String, Instant> shiftEnds = new LinkedHashMap<>();
      JSONObject ends = json.optJSONObject("shift_ends");
      for (String userId : ends == null ? Set.<String>of() : ends.keySet()) {
        shiftEnds.put(userId, Instant.parse(ends.getString(userId)));
      }
      return new Roster(levels, json.getInt("loops"), json.getString("reason"),
          Instant.parse(json.getString("fetched_at")), emptyBecause, shiftEnds);
    } catch (JSONException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("not a roster: " + e.getMessage(), e);
    }
  }

  /** The strings of a JSON array; none for a missing one. */
  static List<String> strings(JSONArray array) {
    List<String> strings = new ArrayList<>();
    for (int i = 0; array != null && i < array.length(); i++) {
      strings.add(array.getString(i));
    }
    return strings;
  }
}
