package phoneduty.console;

import static phoneduty.console.Html.e;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import phoneduty.calllog.CallEntry;
import phoneduty.calllog.Kind;
import phoneduty.calllog.LineEntry;
import phoneduty.calllog.PageStatus;
import phoneduty.oncall.EscalationLevel;
import phoneduty.oncall.Roster;
import phoneduty.oncall.Responder;

/** {@code /admin}: every line seen, what it carried lately, its pages, and who it would ring now. */
final class DashboardPage {

  private DashboardPage() {}

  /** One line and what the dashboard shows of it. */
  record LineView(LineEntry line, List<CallEntry> lastWeek, Optional<Roster> roster) {}

  static String render(List<LineView> lines, Instant now, String user, String token) {
    StringBuilder body = new StringBuilder();
    if (lines.isEmpty()) {
      body.append("<p>No line has been called yet. Set one up with the <a href=\"/admin/lines/new\">URL builder</a>;"
          + " it shows here after its first call or text.</p>");
    }
    for (LineView view : lines) {
      body.append(card(view, now, token));
    }
    return Html.page("Lines", user, null, body.toString());
  }

  private static String card(LineView view, Instant now, String token) {
    LineEntry line = view.line();
    Instant dayAgo = now.minus(Duration.ofDays(1));
    List<CallEntry> lastDay = view.lastWeek().stream().filter(c -> !c.startedAt().isBefore(dayAgo)).toList();
    StringBuilder card = new StringBuilder("<section class=\"card\" id=\"line-" + e(line.id()) + "\">");
    card.append("<h2><code>").append(e(line.endpoint())).append("</code> key <code>").append(e(line.keyTail()))
        .append("</code></h2>");
    if (!line.policies().isEmpty() || !line.schedules().isEmpty() || !line.settings().isEmpty()) {
      card.append("<p class=\"muted\">");
      line.policies().forEach(p -> card.append("escalation_policy ").append(e(p)).append(" · "));
      line.schedules().forEach(s -> card.append("schedule ").append(e(s)).append(" · "));
      line.settings().forEach((name, value) -> card.append(e(name)).append(" “").append(e(value)).append("” · "));
      card.setLength(card.length() - 3);
      card.append("</p>");
    }
    card.append("<p>Last seen ").append(e(Html.age(line.lastSeen(), now))).append("</p>");
    card.append("<div class=\"scroll\"><table><tr><th></th><th>calls</th><th>texts</th><th>test pages</th></tr>")
        .append(countRow("last 24 h", lastDay)).append(countRow("last 7 days", view.lastWeek()))
        .append("</table></div>");
    Map<PageStatus, Long> pages = view.lastWeek().stream()
        .collect(Collectors.groupingBy(c -> c.page().status(), Collectors.counting()));
    card.append("<p>Pages in the last 7 days: ")
        .append(Html.status(PageStatus.DELIVERED)).append(' ').append(pages.getOrDefault(PageStatus.DELIVERED, 0L))
        .append(" · ").append(Html.status(PageStatus.QUEUED)).append(' ').append(pages.getOrDefault(PageStatus.QUEUED, 0L))
        .append(" · ").append(Html.status(PageStatus.RETRYING)).append(' ')
        .append(pages.getOrDefault(PageStatus.RETRYING, 0L))
        .append(" · ").append(Html.status(PageStatus.FAILED)).append(' ').append(pages.getOrDefault(PageStatus.FAILED, 0L))
        .append("</p>");
    if (line.forwards()) {
      card.append(roster(view.roster(), now));
    }
    card.append("<p>").append(Html.link("/admin/calls?" + Html.param("line", line.id()), "Calls and texts of this line"))
        .append("</p>");
    if (line.hasKey()) {
      card.append("<form method=\"post\" action=\"/admin/lines/").append(e(line.id())).append("/test\">")
          .append("<input type=\"hidden\" name=\"").append(CsrfGuard.FIELD).append("\" value=\"").append(e(token))
          .append("\"><button type=\"submit\">Send a test page</button></form>");
    } else {
      card.append("<p class=\"problem\">This line's URL has no valid service key: its calls page nobody.</p>");
    }
    return card.append("</section>").toString();
  }

  private static String countRow(String label, List<CallEntry> calls) {
    return "<tr><th>" + e(label) + "</th><td>" + count(calls, Kind.CALL) + "</td><td>" + count(calls, Kind.TEXT)
        + "</td><td>" + count(calls, Kind.TEST) + "</td></tr>";
  }

  private static long count(List<CallEntry> calls, Kind kind) {
    return calls.stream().filter(c -> c.kind() == kind).count();
  }

  private static String roster(Optional<Roster> roster, Instant now) {
    if (roster.isEmpty()) {
      return "<p><strong>On call now:</strong> no roster known yet (phoneduty has not looked up who is on call"
          + " for this line).</p>";
    }
    Roster held = roster.get();
    StringBuilder html = new StringBuilder("<p><strong>On call now</strong> (roster fetched ")
        .append(e(Html.age(held.fetchedAt(), now))).append(", ").append(e(Html.time(held.fetchedAt()))).append("): ")
        .append(e(held.reason())).append("</p>");
    if (held.anyoneToRing()) {
      html.append("<ol>");
      for (EscalationLevel level : held.levels()) {
        html.append("<li>Level ").append(level.level()).append(": ")
            .append(e(level.responders().stream().map(Responder::name).collect(Collectors.joining(", "))))
            .append(" <span class=\"muted\">(").append(e(String.join(", ", level.phoneNumbers()))).append(")</span></li>");
      }
      html.append("</ol>");
      if (held.loops() > 0) {
        html.append("<p class=\"muted\">then round all levels ").append(held.loops()).append(" more time")
            .append(held.loops() == 1 ? "" : "s").append("</p>");
      }
    }
    return html.toString();
  }
}
