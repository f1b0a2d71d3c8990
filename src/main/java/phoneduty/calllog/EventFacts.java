package phoneduty.calllog;

import com.google.appengine.api.datastore.Entity;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.json.JSONObject;
import phoneduty.pagerduty.PagerDutyEvent;

/**
 * What a queued event tells the call log about the webhook that queued it, so that the delivery
 * task writes it and the paging webhooks ({@code /sms}, {@code /record}) write nothing: the
 * caller, the text or the voicemail, the line (endpoint from the event's component, and its key),
 * and when it happened. The webhooks put all of it in the event's payload for PagerDuty already.
 */
final class EventFacts {

  private final PagerDutyEvent event;
  private final JSONObject payload;
  private final JSONObject details;

  EventFacts(PagerDutyEvent event) {
    this.event = event;
    JSONObject json = new JSONObject(event.toJson());
    this.payload = json.optJSONObject("payload") == null ? new JSONObject() : json.getJSONObject("payload");
    this.details = payload.optJSONObject("custom_details") == null ? new JSONObject()
        : payload.getJSONObject("custom_details");
  }

  private String component() {
    return payload.optString("component");
  }

  /** When the webhook queued it (the event's timestamp), or empty (an acknowledgement has none). */
  Optional<Instant> at() {
    try {
      return payload.has("timestamp") ? Optional.of(Instant.parse(payload.getString("timestamp"))) : Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** A record for a call or text the log has not seen yet (its webhook wrote none). */
  Entity record(String sid, Instant fallbackTime) {
    Kind kind = switch (component()) {
      case "sms" -> Kind.TEXT;
      case "console" -> Kind.TEST;
      default -> sid.startsWith("SM") || sid.startsWith("MM") ? Kind.TEXT : Kind.CALL;
    };
    StringJoiner place = new StringJoiner(", ");
    for (String name : List.of("from_city", "from_state", "from_country")) {
      text(name).ifPresent(place::add);
    }
    Entity record = Entities.call(sid, kind, line(), text("from").orElse(""), text("caller_name"),
        place.length() == 0 ? Optional.empty() : Optional.of(place.toString()), text("body").orElse(""),
        at().orElse(fallbackTime), PageState.QUEUED);
    Entities.setHotline(record, text("to"));
    return record;
  }

  /** The line the event came in on, as far as the event tells it (no URL settings, no policies). */
  Line line() {
    String endpoint = switch (component()) {
      case "sms" -> "/sms";
      case "voicemail" -> "/call";
      // A forwarded call's missed-call incident and its change events come from /forward too.
      case "forwarding", "missed call" -> "/forward";
      default -> event.isChange() ? "/forward" : "(unknown)";
    };
    return new Line(endpoint, Optional.of(event.routingKey()), Map.of(), List.of(), List.of());
  }

  /** The call or text this event is about, when its details name it (a voicemail's, a text's, a forwarded call's). */
  Optional<String> contactSid() {
    return event.isChange() ? Optional.empty() : text("call_sid").or(() -> text("message_sid")).filter(Entities::isSid);
  }

  /** The steps the queuing webhook took, in order: the text or the voicemail, then the page queued. */
  List<Step> steps(String prefix) {
    List<Step> steps = new ArrayList<>();
    if (component().equals("sms")) {
      int attachments = details.optJSONArray("media_urls") == null ? 0 : details.getJSONArray("media_urls").length();
      steps.add(Step.textReceived(text("body").orElse(""), attachments));
    } else if (component().equals("voicemail")) {
      Optional<String> recording = text("recording").filter(r -> r.startsWith("https://") || r.startsWith("http://"));
      if (recording.isPresent()) {
        steps.add(Step.voicemailLeft(recording.get(),
            text("recording_duration_seconds").map(s -> "(" + s + " s)").orElse("")));
      } else if (text("recording").isPresent()) {
        steps.add(Step.voicemailWithoutLink("no link: the recording URL was not a Twilio recording"));
      } else if (text("transcript").isPresent()) {
        // A transcript's follow-up: the transcript's own step was written when it came.
      } else {
        steps.add(Step.missed("hung up or stayed silent without leaving a message"));
      }
    }
    text("joined_incident").ifPresent(why -> steps.add(Step.joined(event.dedupKey(), why)));
    steps.add(new Step(prefix + " queued", event.summary().orElse(""), Optional.empty()));
    return steps;
  }

  private Optional<String> text(String name) {
    Object value = details.opt(name);
    return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString());
  }
}
