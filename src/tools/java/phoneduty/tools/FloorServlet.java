package phoneduty.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The benchmark's floor: answers every request with one constant TwiML document, doing nothing
 * else. {@link BenchWars} adds it to the benchmark's own copies of the war only (tool code, never
 * in the deployed app), so the fastest answer the same server can give is measured in the same
 * run as the real endpoints.
 */
public final class FloorServlet extends HttpServlet {

  static final byte[] TWIML =
      ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>Leave a message to contact the on call"
              + " staff.</Say></Response>")
          .getBytes(StandardCharsets.UTF_8);

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType("text/xml; charset=UTF-8");
    response.setContentLength(TWIML.length);
    response.getOutputStream().write(TWIML);
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    doGet(request, response);
  }
}
