package phoneduty.twilio;

import java.util.Optional;
import java.util.Set;

/** The line's own settings from a webhook's query, to carry into the URLs of phoneduty's next steps. */
public final class LineQuery {

  private LineQuery() {}

  /**
   * The query's pairs as they came (still URL-encoded), each followed by {@code &}, without the
   * named ones. Twilio's parameters (which a GET webhook also carries in the query) all start with
   * a capital letter, phoneduty's never do, so only the line's own settings remain.
   */
  public static String of(Optional<String> rawQuery, Set<String> without) {
    StringBuilder query = new StringBuilder();
    for (String pair : rawQuery.orElse("").split("&")) {
      String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
      if (!name.isEmpty() && Character.isLowerCase(name.charAt(0)) && !without.contains(name)) {
        query.append(pair).append('&');
      }
    }
    return query.toString();
  }
}
