package phoneduty.calllog;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Ids of the console's test pages: "TEST" and 32 random hex digits, never a Twilio sid. */
public final class TestIds {

  public static final String PREFIX = "TEST";
  private static final SecureRandom random = new SecureRandom();

  private TestIds() {}

  public static String next() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return PREFIX + HexFormat.of().formatHex(bytes);
  }
}
