package phoneduty.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import phoneduty.text.HtmlSafe;
import phoneduty.text.Text;

/**
 * The console's page frame and the few HTML helpers its pages share. Pages pass every text
 * through {@link #e} (HtmlSafe): nothing a caller controls reaches a page unescaped.
 */
final class Html {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);

  /** Small and responsive: tables scroll sideways on a phone rather than squeeze. */
  private static final String CSS = """
      body{font-family:system-ui,-apple-system,sans-serif;margin:0;padding:0 1rem 2rem;line-height:1.4;color:#1b1b1b}
      header{display:flex;flex-wrap:wrap;gap:.3rem 1rem;align-items:baseline;padding:.6rem 0;border-bottom:1px solid #ccc}
      header strong{font-size:1.1rem}
      nav a{margin-right:.8rem}
      h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:1.6rem}
      .scroll{overflow-x:auto}
      table{border-collapse:collapse;width:100%;font-size:.92rem}
      th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e3e3;vertical-align:top}
      .card{border:1px solid #ddd;border-radius:6px;padding:.6rem .8rem;margin:.8rem 0}
      .status-delivered{color:#0a6b2b;font-weight:600}.status-retrying,.status-queued{color:#8a5a00;font-weight:600}
      .status-failed{color:#b00020;font-weight:600}
      .problem{color:#b00020}.ok{color:#0a6b2b}
      code,.url{font-family:ui-monospace,monospace;word-break:break-all}
      form.inline{display:inline}
      label{display:block;margin:.4rem 0 .1rem}
      input[type=text],select{width:100%;max-width:32rem;padding:.35rem;font-size:1rem;box-sizing:border-box}
      button{padding:.4rem .8rem;font-size:1rem;margin-top:.5rem}
      .muted{color:#666}
      """;

  private Html() {}

  /** Escaped text (HtmlSafe). */
  static String e(String text) {
    return HtmlSafe.of(text);
  }

  /** A whole page: the frame, the navigation, and the body (already HTML). */
  static String page(String title, String user, String refreshSeconds, String body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + (refreshSeconds == null ? "" : "<meta http-equiv=\"refresh\" content=\"" + e(refreshSeconds) + "\">")
        + "<title>" + e(title) + " · phoneduty</title><style>" + CSS + "</style></head><body>"
        + "<header><strong>phoneduty</strong><nav><a href=\"/admin\">Lines</a><a href=\"/admin/calls\">Call log</a>"
        + "<a href=\"/admin/lines/new\">New line</a></nav><span class=\"muted\">" + e(user) + "</span></header>"
        + "<main><h1>" + e(title) + "</h1>" + body + "</main></body></html>\n";
  }

  static String time(Instant at) {
    return TIME.format(at);
  }

  /** "3 min ago", "2 h ago", "5 days ago". */
  static String age(Instant then, Instant now) {
    Duration age = Duration.between(then, now);
    if (age.isNegative() || age.toSeconds() < 60) {
      return "just now";
    }
    if (age.toMinutes() < 60) {
      return age.toMinutes() + " min ago";
    }
    if (age.toHours() < 48) {
      return age.toHours() + " h ago";
    }
    return age.toDays() + " days ago";
  }

  static String status(phoneduty.calllog.PageStatus status) {
    return "<span class=\"status-" + status.code() + "\">" + e(status.label()) + "</span>";
  }

  /** A link within the console; the path's variable parts must already be URL-encoded. */
  static String link(String href, String text) {
    return "<a href=\"" + e(href) + "\">" + e(text) + "</a>";
  }

  static String param(String name, String value) {
    return Text.urlEncode(name) + "=" + Text.urlEncode(value);
  }
}
