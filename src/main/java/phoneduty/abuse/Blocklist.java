package phoneduty.abuse;

import java.util.List;
import java.util.Optional;

/**
 * {@code BLOCKED_NUMBERS}: E.164 numbers and prefixes ({@code +1900}, {@code +882}). An entry
 * blocks every number that starts with it, so a whole number blocks just that number.
 */
public record Blocklist(List<String> prefixes) {

  public static final Blocklist NONE = new Blocklist(List.of());

  public Blocklist {
    prefixes = List.copyOf(prefixes);
  }

  /** The entry that blocks this number, if any; a caller without a number is never blocked. */
  public Optional<String> entryFor(Optional<String> number) {
    return number.flatMap(n -> prefixes.stream().filter(n::startsWith).findFirst());
  }
}
