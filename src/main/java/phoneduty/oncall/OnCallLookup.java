package phoneduty.oncall;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import phoneduty.pagerduty.RestApiException;

/**
 * What {@link OnCallDirectory#lookup} found: either the escalation levels to ring, level 1 first,
 * or the failure that stopped it. Either way {@code reason} says what happened in one sentence
 * fit for logs, the incident a caller opens, and its summary; it never holds the API token.
 *
 * @param levels escalation order, level 1 first; only levels with at least one phone number; empty on failure
 */
public record OnCallLookup(List<EscalationLevel> levels, Optional<Failure> failure, String reason) {

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
    BAD_REQUEST;

    static Failure of(RestApiException.Problem problem) {
      return switch (problem) {
        case UNAUTHORIZED -> UNAUTHORIZED;
        case FORBIDDEN -> FORBIDDEN;
        case NOT_FOUND -> NOT_FOUND;
        case RATE_LIMITED -> RATE_LIMITED;
        case SERVER_ERROR -> SERVER_ERROR;
        case TIMEOUT -> TIMEOUT;
        case UNREACHABLE -> UNREACHABLE;
        case BAD_REQUEST -> BAD_REQUEST;
      };
    }

    /** Faults that need a person to fix the configuration, rather than passing by themselves. */
    boolean isMisconfiguration() {
      return this == NO_API_TOKEN || this == UNAUTHORIZED || this == FORBIDDEN || this == NOT_FOUND
          || this == BAD_REQUEST;
    }
  }

  public OnCallLookup {
    levels = List.copyOf(levels);
    Objects.requireNonNull(failure, "failure");
    Objects.requireNonNull(reason, "reason");
    if (failure.isEmpty() == levels.isEmpty()) {
      throw new IllegalArgumentException("a lookup either found levels or failed");
    }
  }

  static OnCallLookup found(List<EscalationLevel> levels, String reason) {
    return new OnCallLookup(levels, Optional.empty(), reason);
  }

  static OnCallLookup failed(Failure failure, String reason) {
    return new OnCallLookup(List.of(), Optional.of(failure), reason);
  }

  /** True when there is at least one level with a phone number to ring. */
  public boolean found() {
    return failure.isEmpty();
  }

  @Override
  public String toString() {
    return failure.map(Failure::name).orElse("FOUND " + levels.size() + " level(s)") + ": " + reason;
  }
}
