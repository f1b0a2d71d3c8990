package phoneduty.console;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import phoneduty.calllog.CallEntry;
import phoneduty.calllog.CallLogReader;
import phoneduty.calllog.Kind;
import phoneduty.calllog.LineEntry;
import phoneduty.calllog.PageStatus;
import phoneduty.oncall.RosterView;
import phoneduty.text.Text;

/**
 * The operator console behind {@code /admin}: reads the call log and the rosters into pages, and
 * sends test pages. Refusals are short plain-text 4xx answers that say why.
 */
public final class Console {

  private static final Pattern CALL = Pattern.compile("/calls/([^/]+)");
  private static final Pattern TEST_PAGE = Pattern.compile("/lines/([^/]+)/test");

  private final CallLogReader reader;
  private final RosterView rosters;
  private final TestPager testPager;
  private final CsrfGuard csrf;
  private final Clock clock;

  public Console(CallLogReader reader, RosterView rosters, TestPager testPager, CsrfGuard csrf, Clock clock) {
    this.reader = reader;
    this.rosters = rosters;
    this.testPager = testPager;
    this.csrf = csrf;
    this.clock = clock;
  }

  /**
   * Who is asking, and how they reached us.
   *
   * @param siteBase this deployment's base URL as the browser reached it ({@code PublicUrl})
   */
  public record Viewer(String user, String siteBase) {}

  /** An HTML page, a plain-text refusal, or a redirect (a 303 to {@code location}). */
  public record Answer(int status, String contentType, String body, Optional<String> location) {
    static Answer html(String body) {
      return new Answer(200, "text/html; charset=UTF-8", body, Optional.empty());
    }

    static Answer refused(int status, String reason) {
      return new Answer(status, "text/plain; charset=UTF-8", reason + "\n", Optional.empty());
    }

    static Answer seeOther(String location) {
      return new Answer(303, "text/plain; charset=UTF-8", "", Optional.of(location));
    }
  }

  /** @param path the path after {@code /admin}, "" for the dashboard */
  public Answer get(String path, Map<String, String> params, Viewer viewer) {
    if (path.isEmpty() || path.equals("/")) {
      return Answer.html(dashboard(viewer));
    }
    if (path.equals("/calls")) {
      return calls(params, viewer);
    }
    Matcher call = CALL.matcher(path);
    if (call.matches()) {
      String sid = call.group(1);
      Optional<CallEntry> entry = reader.find(sid);
      if (entry.isEmpty()) {
        return Answer.refused(404, "No call or text with that id in the log");
      }
      return Answer.html(CallPage.render(entry.get(), reader.timeline(sid), viewer.user()));
    }
    if (path.equals("/lines/new")) {
      Optional<LineBuilder.Result> result = Optional.ofNullable(params.get("type"))
          .flatMap(LineBuilder.Type::parse)
          .filter(type -> params.containsKey("service_key"))
          .map(type -> LineBuilder.build(type, params, viewer.siteBase()));
      return Answer.html(LineBuilderPage.render(result, params, viewer.user()));
    }
    return Answer.refused(404, "No such console page");
  }

  /**
   * @param origin the request's {@code Origin} header, or null
   * @param fetchSite the request's {@code Sec-Fetch-Site} header, or null
   */
  public Answer post(String path, Map<String, String> params, Viewer viewer, String origin, String fetchSite) {
    Matcher test = TEST_PAGE.matcher(path);
    if (!test.matches()) {
      return Answer.refused(404, "No such console action");
    }
    Optional<String> refusal = csrf.refusal(siteOrigin(viewer.siteBase()), origin, fetchSite,
        params.get(CsrfGuard.FIELD), viewer.user());
    if (refusal.isPresent()) {
      return Answer.refused(403, refusal.get());
    }
    Optional<String> sent;
    try {
      sent = testPager.send(test.group(1), viewer.user());
    } catch (IllegalStateException e) {
      return Answer.refused(503, "The test page could not be queued or delivered; see the app's log");
    }
    return sent.map(id -> Answer.seeOther("/admin/calls/" + Text.urlEncode(id)))
        .orElseGet(() -> Answer.refused(404, "No such line, or it has no valid service key"));
  }

  private String dashboard(Viewer viewer) {
    Instant now = clock.instant();
    List<DashboardPage.LineView> views = new ArrayList<>();
    for (LineEntry line : reader.lines()) {
      views.add(new DashboardPage.LineView(line, reader.since(line.id(), now.minus(Duration.ofDays(7))),
          line.forwards() ? rosters.latest(line.policies(), line.schedules()) : Optional.empty()));
    }
    return DashboardPage.render(views, now, viewer.user(), csrf.token(viewer.user()));
  }

  private Answer calls(Map<String, String> params, Viewer viewer) {
    Optional<String> kindCode = nonEmpty(params.get("kind"));
    Optional<Kind> kind = kindCode.flatMap(Kind::parse);
    Optional<String> outcomeCode = nonEmpty(params.get("outcome"));
    Optional<PageStatus> outcome = outcomeCode.flatMap(PageStatus::parse);
    if (kindCode.isPresent() && kind.isEmpty()) {
      return Answer.refused(400, "Unknown kind (use call, text or test)");
    }
    if (outcomeCode.isPresent() && outcome.isEmpty()) {
      return Answer.refused(400, "Unknown outcome (use none, queued, delivered, retrying or failed)");
    }
    CallLogReader.Filter filter = new CallLogReader.Filter(nonEmpty(params.get("line")), kind, outcome);
    CallLogReader.Page page;
    try {
      page = reader.list(filter, nonEmpty(params.get("cursor")), CallsPage.PAGE_SIZE);
    } catch (IllegalArgumentException e) {
      return Answer.refused(400, "That page link is not valid (bad cursor); start again from the call log");
    }
    return Answer.html(CallsPage.render(filter, page, reader.lines(), viewer.user()));
  }

  /** "https://host[:port]", as a browser's Origin header names the site. */
  static String siteOrigin(String siteBase) {
    URI base = URI.create(siteBase);
    return base.getScheme() + "://" + base.getRawAuthority();
  }

  private static Optional<String> nonEmpty(String text) {
    return Optional.ofNullable(text).map(String::strip).filter(s -> !s.isEmpty());
  }
}
