package phoneduty.forwarding;

import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.List;
import phoneduty.abuse.Folding;
import phoneduty.delivery.EventQueue;
import phoneduty.pagerduty.PagerDutyEvent;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.twilio.Webhook;

/**
 * What a forwarded call tells PagerDuty, through the delivery queue like every page.
 *
 * <p>By default a call that rings a person opens no incident while it rings: PagerDuty would
 * notify the same person by its own rules at the same moment, often with a phone call of its
 * own. So an accepted call is a change event (no incident, no notification), a caller who hangs
 * up while phones ring is a "missed call" incident, and a call nobody accepts goes to voicemail,
 * whose recording opens the incident. {@code answered=incident} keeps an incident per call: a
 * trigger on arrival, acknowledged when a responder accepts. Every trigger's dedup key is the
 * CallSid, so a call's events fold into one incident; a missed or unforwarded call from a caller
 * who called within the repeat window, or during a flood, joins that incident ({@link Folding}).
 */
record CallEvents(EventQueue events, Clock clock) {

  private static final Logger log = Logger.getLogger(CallEvents.class.getName());

  /** {@code answered=incident}: the incident opened as the call arrives. */
  void arrived(RoutingKey key, Webhook call, String summary, String forwarding) {
    trigger(key, call, "forwarding", summary, forwarding, false);
  }

  /** A responder took the call; {@code seconds} is how long they talked (the Dial's DialCallDuration). */
  void accepted(RoutingKey key, Webhook call, String responder, Optional<String> seconds, Optional<String> staleNote) {
    Optional<String> callSid = call.sid();
    if (callSid.isEmpty()) {
      log.warning("Forwarded call without CallSid was accepted; no change event sent");
      return;
    }
    String length = seconds.map(s -> " for " + s + " s").orElse("");
    events.enqueue("forward", PagerDutyEvent.change(key, callSid.get() + "-accepted")
        .summary(responder + " took the on-call line's call from " + call.caller().describe() + length)
        .source(call.source())
        .at(clock.instant())
        .detail("call_sid", callSid.get())
        .detail("caller", call.caller().describe())
        .detail("answered_by", responder)
        .detail("talked_seconds", seconds.orElse(null))
        .detail("roster", staleNote.orElse(null))
        .build());
  }

  /** The caller hung up while phones rang: somebody should call them back. */
  void missed(RoutingKey key, Webhook call, String rang, Optional<String> staleNote) {
    trigger(key, call, "missed call", "Missed call from " + call.caller().describe()
        + ": hung up while the on-call line rang " + rang,
        "hung up while ringing " + rang + staleNote.map(note -> "; " + note).orElse(""), true);
  }

  /** Forwarding could not even start; the caller is sent to voicemail. */
  void notForwarded(RoutingKey key, Webhook call, String reason) {
    trigger(key, call, "forwarding", "Call from " + call.caller().describe() + " could not be forwarded ("
        + reason + "); caller sent to voicemail", "not forwarded: " + reason, true);
  }

  /** {@code answered=incident}: the responder accepted, so the call's incident is theirs. */
  void acknowledge(RoutingKey key, String callSid) {
    events.enqueue("forward", PagerDutyEvent.acknowledge(key, callSid));
  }

  /** @param fold whether a repeat or flood may join another incident (never for {@code answered=incident}) */
  private void trigger(RoutingKey key, Webhook call, String component, String summary, String forwarding,
      boolean fold) {
    if (call.sid().isEmpty()) {
      log.warning("/forward without CallSid: no incident opened (" + component + ")");
      return;
    }
    String callSid = call.sid().get();
    PagerDutyEvent trigger = call.trigger(key, callSid, component, "phone call", clock.instant())
        .summary(summary)
        .detail("call_sid", callSid)
        .detail("forwarding", forwarding)
        .build();
    if (fold) {
      events.enqueueFoldable("forward", trigger, List.of());
    } else {
      events.enqueue("forward", trigger);
    }
  }
}
