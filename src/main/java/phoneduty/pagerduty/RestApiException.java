package phoneduty.pagerduty;

/** A REST API request that got no usable answer; the reason is one sentence, free of the token. */
public final class RestApiException extends Exception {

  /** What went wrong, as the caller must tell it apart. */
  public enum Problem {
    /** PagerDuty refused the token (HTTP 401). */
    UNAUTHORIZED,
    /** The token may not read this (HTTP 403). */
    FORBIDDEN,
    /** HTTP 404. */
    NOT_FOUND,
    /** HTTP 429, or one recently whose reset has not passed. */
    RATE_LIMITED,
    /** 5xx, or an answer PagerDuty should not have given (not JSON, a redirect). */
    SERVER_ERROR,
    /** No answer within the read timeout or the budget. */
    TIMEOUT,
    /** Connection refused, unknown host, reset. */
    UNREACHABLE,
    /** 400 or another 4xx. */
    BAD_REQUEST
  }

  private final Problem problem;
  private final String reason;

  public RestApiException(Problem problem, String reason) {
    super(problem + ": " + reason, null, false, false);
    this.problem = problem;
    this.reason = reason;
  }

  public Problem problem() {
    return problem;
  }

  public String reason() {
    return reason;
  }
}
