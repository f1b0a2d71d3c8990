package phoneduty.calllog;

import java.time.Instant;
import java.util.Optional;

/**
 * One call or text as the call log holds it (its timeline is read apart: {@link CallLogReader#timeline}).
 *
 * @param sid Twilio's CallSid or MessageSid (or the console's id of a test page)
 * @param from the caller's number as Twilio gave it
 * @param callerName the caller-name lookup's answer, if Twilio gave one
 * @param place city, state and country as Twilio gave them, comma-separated
 * @param text a text message's body (empty for calls)
 */
public record CallEntry(String sid, Kind kind, String lineId, String endpoint, String keyTail, String from,
    Optional<String> callerName, Optional<String> place, String text, Instant startedAt, PageState page) {}
