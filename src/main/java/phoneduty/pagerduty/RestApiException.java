package phoneduty.pagerduty;

/** A REST API request that got no usable answer; the reason is one sentence, free of the token. */
public final class RestApiException extends Exception {

  private final Failure failure;
  private final String reason;

  public RestApiException(Failure failure, String reason) {
    super(failure + ": " + reason, null, false, false);
    this.failure = failure;
    this.reason = reason;
  }

  public Failure failure() {
    return failure;
  }

  public String reason() {
    return reason;
  }
}
