package phoneduty.shortlink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.logging.Logger;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.App;
import phoneduty.text.LogSafe;
import phoneduty.twilio.TwilioMediaClient.Media;

/**
 * {@code GET /r/CODE}: 404 for no such link, 410 for an expired one; otherwise, with private
 * recordings, the recording's audio ({@link RecordingProxy}), else a redirect to the link's target.
 */
public final class ShortLinkServlet extends HttpServlet {

  private static final Logger log = Logger.getLogger(ShortLinkServlet.class.getName());
  private static final int BUFFER_BYTES = 16 * 1024;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    answer(request, response, true);
  }

  /**
   * As GET without the body. Overridden because HttpServlet's HEAD runs GET and discards what it
   * writes: a proxied recording would be downloaded from Twilio in full for nothing.
   */
  @Override
  protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
    answer(request, response, false);
  }

  private void answer(HttpServletRequest request, HttpServletResponse response, boolean withBody) throws IOException {
    String path = request.getPathInfo();
    String code = path == null ? "" : path.replaceFirst("^/", "");
    App app = App.of(getServletContext());
    Optional<ShortLinks.Found> link = app.shortLinks().find(code);
    if (link.isEmpty()) {
      log.info("No short link for code " + LogSafe.of(code));
      response.sendError(HttpServletResponse.SC_NOT_FOUND, "No such link");
      return;
    }
    if (link.get().expired()) {
      log.info("Short link " + LogSafe.of(code) + " has expired");
      response.sendError(HttpServletResponse.SC_GONE, "This link has expired");
      return;
    }
    if (app.recordingProxy().isPresent()) {
      serve(app.recordingProxy().get().open(code, link.get().target(),
          Optional.ofNullable(request.getHeader("Range"))), code, response, withBody);
      return;
    }
    // 302, not 301: a browser must not keep the target if the link is ever changed or removed.
    response.setHeader("Cache-Control", "private, no-store");
    response.sendRedirect(link.get().target().toString());
  }

  private static void serve(RecordingProxy.Answer answer, String code, HttpServletResponse response,
      boolean withBody) throws IOException {
    if (answer instanceof RecordingProxy.Refusal refusal) {
      response.sendError(refusal.status(), refusal.message());
      return;
    }
    try (Media media = ((RecordingProxy.Audio) answer).media()) {
      response.setStatus(media.status());
      response.setContentType("audio/mpeg");
      // Only the person with the link may keep it: no shared cache holds a voicemail.
      response.setHeader("Cache-Control", "private");
      media.acceptRanges().ifPresent(ranges -> response.setHeader("Accept-Ranges", ranges));
      media.contentRange().ifPresent(range -> response.setHeader("Content-Range", range));
      media.contentLength().ifPresent(response::setContentLengthLong);
      if (withBody) {
        relay(media.body(), response, code);
      }
    }
  }

  /** Copies Twilio's audio to the player; either side may stop halfway, and the log says which. */
  private static void relay(InputStream audio, HttpServletResponse response, String code) throws IOException {
    OutputStream out = response.getOutputStream();
    byte[] buffer = new byte[BUFFER_BYTES];
    while (true) {
      int read;
      try {
        read = audio.read(buffer);
      } catch (IOException e) {
        log.warning("Recording of short link " + LogSafe.of(code) + " cut off, Twilio stopped sending: "
            + LogSafe.of(e.getMessage()));
        if (!response.isCommitted()) {
          response.reset();
          response.sendError(HttpServletResponse.SC_BAD_GATEWAY, "Twilio stopped sending the recording");
        }
        return;
      }
      if (read < 0) {
        return;
      }
      try {
        out.write(buffer, 0, read);
      } catch (IOException e) {
        log.info("Recording of short link " + LogSafe.of(code) + " cut off, the player stopped listening: "
            + LogSafe.of(String.valueOf(e)));
        return;
      }
    }
  }
}
