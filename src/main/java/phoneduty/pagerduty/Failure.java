package phoneduty.pagerduty;

/** Why PagerDuty gave phoneduty no usable answer: the REST API's failures and the on-call answers that ring nobody. */
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

  /** Faults that need a person to fix the configuration, rather than passing by themselves. */
  public boolean isMisconfiguration() {
    return this == NO_API_TOKEN || this == UNAUTHORIZED || this == FORBIDDEN || this == NOT_FOUND
        || this == BAD_REQUEST;
  }
}
