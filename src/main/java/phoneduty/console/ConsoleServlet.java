package phoneduty.console;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.App;

/**
 * {@code /admin} and {@code /admin/*}: the operator console. web.xml lets only the project's
 * admins in (App Engine's Google sign-in; the local dev server's own login page).
 */
public final class ConsoleServlet extends HttpServlet {

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    App app = App.of(getServletContext());
    write(response, app.console().get(path(request), params(request), viewer(app, request)));
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    App app = App.of(getServletContext());
    write(response, app.console().post(path(request), params(request), viewer(app, request),
        request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site")));
  }

  private static Console.Viewer viewer(App app, HttpServletRequest request) {
    String user = request.getRemoteUser();
    return new Console.Viewer(user == null ? "(signed-in admin)" : user, app.publicUrl().base(request));
  }

  private static String path(HttpServletRequest request) {
    String path = request.getPathInfo();
    return path == null ? "" : path;
  }

  /** The first value of each parameter. */
  private static Map<String, String> params(HttpServletRequest request) {
    Map<String, String> params = new HashMap<>();
    request.getParameterMap().forEach((name, values) -> {
      if (values.length > 0) {
        params.put(name, values[0]);
      }
    });
    return params;
  }

  private static void write(HttpServletResponse response, Console.Answer answer) throws IOException {
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self';"
        + " form-action 'self'; frame-ancestors 'none'");
    response.setHeader("Referrer-Policy", "same-origin");
    if (answer.location().isPresent()) {
      response.setStatus(answer.status());
      response.setHeader("Location", answer.location().get());
      return;
    }
    response.setStatus(answer.status());
    response.setContentType(answer.contentType());
    response.getWriter().write(answer.body());
  }
}
