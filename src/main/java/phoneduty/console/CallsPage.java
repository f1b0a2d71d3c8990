package phoneduty.console;

import static phoneduty.console.Html.e;

import java.util.List;
import java.util.StringJoiner;
import phoneduty.calllog.CallEntry;
import phoneduty.calllog.CallLogReader;
import phoneduty.calllog.Kind;
import phoneduty.calllog.LineEntry;
import phoneduty.calllog.PageStatus;
import phoneduty.text.Text;

/** {@code /admin/calls}: the log, newest first, filtered by line, kind and outcome, a page at a time. */
final class CallsPage {

  static final int PAGE_SIZE = 25;
  private static final int EXCERPT_CHARS = 120;

  private CallsPage() {}

  static String render(CallLogReader.Filter filter, CallLogReader.Page page, List<LineEntry> lines, String user) {
    StringBuilder body = new StringBuilder("<form method=\"get\" action=\"/admin/calls\" class=\"card\">");
    body.append("<label for=\"line\">Line</label><select id=\"line\" name=\"line\"><option value=\"\">all lines</option>");
    for (LineEntry line : lines) {
      body.append(option(line.id(), line.endpoint() + " " + line.keyTail()
          + (line.policies().isEmpty() ? "" : " " + String.join(",", line.policies())),
          filter.lineId().filter(line.id()::equals).isPresent()));
    }
    body.append("</select><label for=\"kind\">Kind</label><select id=\"kind\" name=\"kind\"><option value=\"\">all</option>");
    for (Kind kind : Kind.values()) {
      body.append(option(kind.code(), kind.label(), filter.kind().filter(kind::equals).isPresent()));
    }
    body.append("</select><label for=\"outcome\">Page</label><select id=\"outcome\" name=\"outcome\">"
        + "<option value=\"\">any</option>");
    for (PageStatus status : PageStatus.values()) {
      body.append(option(status.code(), status.label(), filter.outcome().filter(status::equals).isPresent()));
    }
    body.append("</select><button type=\"submit\">Filter</button></form>");
    if (page.calls().isEmpty()) {
      body.append("<p>Nothing in the log matches.</p>");
    } else {
      body.append("<div class=\"scroll\"><table id=\"calls\"><tr><th>When</th><th>Kind</th><th>From</th><th>Line</th>"
          + "<th>What</th><th>Page</th></tr>");
      for (CallEntry call : page.calls()) {
        body.append("<tr><td>").append(Html.link("/admin/calls/" + Text.urlEncode(call.sid()), Html.time(call.startedAt())))
            .append("</td><td>").append(e(call.kind().label())).append("</td><td>").append(caller(call))
            .append("</td><td><code>").append(e(call.endpoint())).append("</code> ").append(e(call.keyTail()))
            .append("</td><td>").append(e(Text.cutWithEllipsis(call.text(), EXCERPT_CHARS)))
            .append("</td><td>").append(Html.status(call.page().status())).append("</td></tr>");
      }
      body.append("</table></div>");
    }
    page.next().ifPresent(cursor -> body.append("<p>").append(Html.link("/admin/calls?" + query(filter)
        + "cursor=" + Text.urlEncode(cursor), "Older →")).append("</p>"));
    return Html.page("Call log", user, null, body.toString());
  }

  /** The caller: number, then name and place when Twilio gave them. */
  static String caller(CallEntry call) {
    StringBuilder html = new StringBuilder(e(call.from().isEmpty() ? "—" : call.from()));
    call.callerName().ifPresent(name -> html.append("<br>").append(e(name)));
    call.place().ifPresent(place -> html.append("<br><span class=\"muted\">").append(e(place)).append("</span>"));
    return html.toString();
  }

  private static String option(String value, String label, boolean selected) {
    return "<option value=\"" + e(value) + "\"" + (selected ? " selected" : "") + ">" + e(label) + "</option>";
  }

  /** The filter's part of a link, ending in "&amp;" when not empty (raw: Html.link escapes). */
  private static String query(CallLogReader.Filter filter) {
    StringJoiner query = new StringJoiner("&", "", "&").setEmptyValue("");
    filter.lineId().ifPresent(id -> query.add(Html.param("line", id)));
    filter.kind().ifPresent(kind -> query.add(Html.param("kind", kind.code())));
    filter.outcome().ifPresent(status -> query.add(Html.param("outcome", status.code())));
    return query.toString();
  }
}
