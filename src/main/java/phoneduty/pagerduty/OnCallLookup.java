package phoneduty.pagerduty;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link OnCallDirectory#lookup} found: either the escalation levels to ring, level 1 first,
 * or the failure that stopped it. Either way {@link #reason()} says what happened in one sentence
 * fit for logs, the incident a caller opens, and its summary; it never holds the API token.
 */
public final class OnCallLookup {

  /** Why nobody can be rung. */
  public enum Failure {
    /** PAGERDUTY_API_TOKEN is not set; no request was made. */
    NO_API_TOKEN,
    /** PagerDuty refused the token (HTTP 401). */
    UNAUTHORIZED,
    /** The token may not read on-calls or contact methods (HTTP 403). */
    FORBIDDEN,
    /** PagerDuty answered 404. */
    NOT_FOUND,
    /** PagerDuty answered 429, or did recently and its {@code ratelimit-reset} has not passed. */
    RATE_LIMITED,
    /** PagerDuty answered 5xx, or something it should not have (not JSON, a redirect). */
    SERVER_ERROR,
    /** PagerDuty did not answer within the read timeout or the lookup's total budget. */
    TIMEOUT,
    /** PagerDuty could not be reached (connection refused, unknown host, reset). */
    UNREACHABLE,
    /** PagerDuty lists nobody on call for these ids (this is also what unknown ids give). */
    NOBODY_ON_CALL,
    /** Somebody is on call, but nobody on call has a usable phone contact method. */
    NO_PHONE_NUMBERS,
    /** Malformed or missing ids (no request made), or PagerDuty answered 400 or another 4xx. */
    BAD_REQUEST
  }

  private final List<EscalationLevel> levels;
  private final Failure failure;
  private final String reason;

  private OnCallLookup(List<EscalationLevel> levels, Failure failure, String reason) {
    this.levels = List.copyOf(levels);
    this.failure = failure;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  static OnCallLookup found(List<EscalationLevel> levels, String reason) {
    if (levels.isEmpty()) {
      throw new IllegalArgumentException("a found lookup needs at least one level");
    }
    return new OnCallLookup(levels, null, reason);
  }

  static OnCallLookup failed(Failure failure, String reason) {
    return new OnCallLookup(List.of(), Objects.requireNonNull(failure, "failure"), reason);
  }

  /** True when there is at least one level with a phone number to ring. */
  public boolean found() {
    return failure == null;
  }

  /** Escalation order, level 1 first; only levels with at least one phone number. Empty on failure. */
  public List<EscalationLevel> levels() {
    return levels;
  }

  public Optional<Failure> failure() {
    return Optional.ofNullable(failure);
  }

  /** One sentence for logs, the caller-facing incident and its summary; never holds the token. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return (failure == null ? "FOUND " + levels.size() + " level(s)" : failure.name()) + ": " + reason;
  }
}
