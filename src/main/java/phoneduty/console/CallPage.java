package phoneduty.console;

import static phoneduty.console.Html.e;

import java.util.List;
import phoneduty.calllog.CallEntry;
import phoneduty.calllog.Kind;
import phoneduty.calllog.PageStatus;
import phoneduty.calllog.TimelineEntry;

/** {@code /admin/calls/{sid}}: one call's timeline, its recording, and its page's delivery history. */
final class CallPage {

  /** While the page is on its way, the page reloads itself (no script needed). */
  static final String REFRESH_SECONDS = "5";

  private CallPage() {}

  static String render(CallEntry call, List<TimelineEntry> timeline, String user) {
    StringBuilder body = new StringBuilder("<div class=\"card\"><p>")
        .append(e(call.kind().label())).append(" <code>").append(e(call.sid())).append("</code> on <code>")
        .append(e(call.endpoint())).append("</code> key <code>").append(e(call.keyTail())).append("</code></p>");
    if (call.kind() != Kind.TEST) {
      body.append("<p>From ").append(CallsPage.caller(call)).append("</p>");
    }
    body.append("<p>Started ").append(e(Html.time(call.startedAt()))).append("</p>");
    if (!call.text().isEmpty()) {
      body.append("<p>Text:</p><blockquote id=\"text\">").append(e(call.text())).append("</blockquote>");
    }
    body.append("<p>Page: <span id=\"page-status\">").append(Html.status(call.page().status())).append("</span>");
    if (call.page().attempts() > 0) {
      body.append(" after ").append(call.page().attempts()).append(" attempt")
          .append(call.page().attempts() == 1 ? "" : "s").append(" — PagerDuty: ").append(e(call.page().answer()));
    }
    body.append("</p>");
    if (call.kind() == Kind.TEST && call.page().status() == PageStatus.DELIVERED) {
      body.append("<p class=\"ok\" id=\"test-result\">PagerDuty accepted the test page.</p>");
    } else if (call.kind() == Kind.TEST && call.page().status() == PageStatus.FAILED) {
      body.append("<p class=\"problem\" id=\"test-result\">PagerDuty refused the test page: check the service key.</p>");
    }
    for (TimelineEntry entry : timeline) {
      entry.step().link().filter(CallPage::isWebLink).ifPresent(link -> body.append("<p>Recording: <a id=\"recording\" href=\"").append(e(link))
          .append("\">").append(e(link)).append("</a></p>"));
    }
    body.append("</div><h2>Timeline</h2>").append(table("timeline", timeline, false));
    body.append("<h2>Delivery to PagerDuty</h2>").append(table("deliveries", timeline, true));
    boolean underWay = call.page().status() == PageStatus.QUEUED || call.page().status() == PageStatus.RETRYING;
    return Html.page("Call " + call.sid(), user, underWay ? REFRESH_SECONDS : null, body.toString());
  }

  /** Only http(s) links become links: never a javascript: URL, whatever a record holds. */
  static boolean isWebLink(String link) {
    return link.startsWith("https://") || link.startsWith("http://");
  }

  private static String table(String id, List<TimelineEntry> timeline, boolean deliveries) {
    List<TimelineEntry> rows = timeline.stream().filter(t -> t.isDelivery() == deliveries).toList();
    if (rows.isEmpty()) {
      return "<p class=\"muted\">" + (deliveries ? "No page queued." : "No steps recorded.") + "</p>";
    }
    StringBuilder html = new StringBuilder("<div class=\"scroll\"><table id=\"" + id + "\"><tr><th>When</th><th>Step</th>"
        + "<th>Detail</th></tr>");
    for (TimelineEntry entry : rows) {
      html.append("<tr><td>").append(e(Html.time(entry.at()))).append("</td><td>").append(e(entry.step().name()))
          .append("</td><td>").append(e(entry.step().detail()));
      entry.step().link().filter(CallPage::isWebLink).ifPresent(link -> html.append(" <a href=\"").append(e(link)).append("\">").append(e(link))
          .append("</a>"));
      html.append("</td></tr>");
    }
    return html.append("</table></div>").toString();
  }
}
