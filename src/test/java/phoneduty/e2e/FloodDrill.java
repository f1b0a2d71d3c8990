package phoneduty.e2e;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.json.JSONObject;
import phoneduty.support.DevServer;
import phoneduty.support.FakePagerDuty;
import phoneduty.support.TwilioClient;

/**
 * The fault drill's flood: calls and texts pour into one line from a few dozen numbers, some
 * blocked, most calling again and again, while PagerDuty throttles (429) beyond its rate limit.
 * Every contact must end in an incident or be recorded as blocked, none twice, and the line must
 * open at most {@code LINE_PAGE_LIMIT} incidents plus the flood's own.
 *
 * <p>It runs on a dev server of its own, with the line's default limits: the other scenarios count
 * one incident per contact, which folding would change.
 */
public final class FloodDrill {

  /**
   * @param contacts calls (voicemails) and texts, alternately
   * @param numbers distinct callers; every tenth is blocked
   * @param spread how long the contacts take to send, evenly spread
   * @param linePageLimit the app's {@code LINE_PAGE_LIMIT} (null: its default, 30)
   * @param rateLimit events PagerDuty takes per {@code rateWindow}; beyond, 429
   * @param drainWait how long every contact's event may take to arrive
   */
  public record Size(int contacts, int numbers, Duration spread, Integer linePageLimit, int rateLimit, Duration rateWindow,
      Duration drainWait) {}

  static final String KEY = "f100d0123456789abcdef0123456789a";
  private static final int DEFAULT_LINE_PAGE_LIMIT = 30;
  private static final Pattern RECORD_ACTION = Pattern.compile("<Record [^>]*action=\"([^\"]+)\"");

  private final Size size;
  private final String token;
  private final TwilioClient twilio;
  private final Map<String, String> sidToNumber = new HashMap<>();
  private final Set<String> blockedSids = new HashSet<>();
  private int badAnswers;

  FloodDrill(Size size, String token) {
    this.size = size;
    this.token = token;
    this.twilio = new TwilioClient(token);
  }

  /** Runs the flood; prints its table row; true when it passed. */
  boolean run() throws Exception {
    try (FakePagerDuty pagerDuty = FakePagerDuty.start().rateLimit(size.rateLimit(), size.rateWindow());
        DevServer server = startServer(pagerDuty)) {
      long start = System.nanoTime();
      for (int i = 0; i < size.contacts(); i++) {
        contact(server, i);
        long due = start + size.spread().toNanos() * (i + 1) / size.contacts();
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
      System.out.println("flood: " + size.contacts() + " contacts sent in "
          + (System.nanoTime() - start) / 1_000_000 + " ms; waiting for PagerDuty to take them all");
      long deadline = System.nanoTime() + size.drainWait().toNanos();
      while (System.nanoTime() < deadline && !unpaged(pagerDuty.events()).isEmpty()) {
        Thread.sleep(250);
      }
      Thread.sleep(2000); // a late duplicate would arrive now
      return report(pagerDuty.events(), pagerDuty.attempts().size());
    }
  }

  private DevServer startServer(FakePagerDuty pagerDuty) throws Exception {
    DevServer.Builder builder = DevServer.builder()
        .env("TWILIO_AUTH_TOKEN", token)
        .env("PAGERDUTY_EVENTS_BASE_URL", pagerDuty.baseUrl().toString())
        .env("BLOCKED_NUMBERS", "+1900");
    if (size.linePageLimit() != null) {
      builder.env("LINE_PAGE_LIMIT", size.linePageLimit().toString());
    }
    return builder.start();
  }

  /** Contact {@code i}: from number {@code i % numbers}, every tenth number blocked. */
  private void contact(DevServer server, int i) {
    int caller = i % size.numbers();
    String number = caller % 10 == 9
        ? String.format(Locale.ROOT, "+1900555%04d", caller) : String.format(Locale.ROOT, "+1415666%04d", caller);
    boolean blocked = number.startsWith("+1900");
    if (i % 2 == 0) {
      String sid = String.format(Locale.ROOT, "CAf100d%027d", i);
      remember(sid, number, blocked);
      HttpResponse<String> call = send(server.baseUrl() + "/call?service_key=" + KEY, TwilioClient.incomingCall(sid, number));
      String body = call == null ? "" : call.body();
      if (blocked) {
        if (!body.contains("<Reject")) {
          problem("blocked call " + sid + " was not rejected: " + body);
        }
        return;
      }
      Matcher record = RECORD_ACTION.matcher(body);
      if (!record.find()) {
        problem("call " + sid + " got no recording: " + body);
        return;
      }
      send(URI.create(server.baseUrl().toString()).resolve(record.group(1).replace("&amp;", "&")).toString(),
          TwilioClient.recordingDone(sid, number, 7));
    } else {
      String sid = String.format(Locale.ROOT, "SMf100d%027d", i);
      remember(sid, number, blocked);
      HttpResponse<String> text = send(server.baseUrl() + "/sms?service_key=" + KEY,
          TwilioClient.incomingSms(sid, number, "flood text " + i));
      if (blocked && text != null && text.body().contains("<Message")) {
        problem("blocked text " + sid + " was answered: " + text.body());
      }
    }
  }

  private void remember(String sid, String number, boolean blocked) {
    sidToNumber.put(sid, number);
    if (blocked) {
      blockedSids.add(sid);
    }
  }

  private HttpResponse<String> send(String url, Map<String, String> form) {
    HttpResponse<String> response = twilio.trySend(twilio.signedPost(url, form));
    if (response == null || response.statusCode() != 200) {
      problem(url + " answered " + (response == null ? "nothing" : response.statusCode()));
    }
    return response;
  }

  private void problem(String text) {
    badAnswers++;
    System.out.println("flood: " + text);
  }

  /** The contact an event is about: its call_sid or message_sid. */
  private static String contactOf(JSONObject event) {
    JSONObject details = event.getJSONObject("payload").optJSONObject("custom_details");
    return details == null ? "" : details.optString("call_sid", details.optString("message_sid", ""));
  }

  /** The unblocked contacts no accepted event is about yet. */
  private List<String> unpaged(List<JSONObject> events) {
    Set<String> paged = new HashSet<>();
    events.forEach(event -> paged.add(contactOf(event)));
    List<String> missing = new ArrayList<>();
    for (String sid : sidToNumber.keySet()) {
      if (!blockedSids.contains(sid) && !paged.contains(sid)) {
        missing.add(sid);
      }
    }
    return missing;
  }

  private boolean report(List<JSONObject> events, int attempts) {
    Map<String, Integer> perContact = new HashMap<>();
    Set<String> incidents = new HashSet<>();
    int folded = 0;
    int blockedPaged = 0;
    for (JSONObject event : events) {
      String contact = contactOf(event);
      perContact.merge(contact, 1, Integer::sum);
      incidents.add(event.getString("dedup_key"));
      if (!event.getString("dedup_key").equals(contact)) {
        folded++;
      }
      if (blockedSids.contains(contact)) {
        blockedPaged++;
      }
    }
    long doubled = perContact.values().stream().filter(n -> n > 1).count();
    int lost = unpaged(events).size();
    int limit = size.linePageLimit() == null ? DEFAULT_LINE_PAGE_LIMIT : size.linePageLimit();
    boolean passed = lost == 0 && doubled == 0 && blockedPaged == 0 && badAnswers == 0 && incidents.size() <= limit + 1;
    System.out.println(String.format(Locale.ROOT,
        "%nFlood: %d contacts from %d numbers in %d s, PagerDuty limited to %d events per %d s%n"
            + "%-8s %8s %9s %7s %7s %7s %5s %7s %9s %8s%n%-8s %8d %9d %7d %7d %7d %5d %7d %9d %8d%n",
        size.contacts(), size.numbers(), size.spread().toSeconds(), size.rateLimit(), size.rateWindow().toSeconds(),
        "verdict", "contacts", "incidents", "folded", "blocked", "limit+1", "lost", "doubled", "attempts", "bad",
        passed ? "PASS" : "FAIL", size.contacts(), incidents.size(), folded, blockedSids.size(), limit + 1, lost,
        doubled, attempts, badAnswers));
    return passed;
  }
}
