package phoneduty.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.Test;
import phoneduty.support.DevServer;

/** Smoke test: the built app starts in the local dev server and serves its home page. */
public class DevServerIT {

  @Test
  public void servesTheHomePage() throws Exception {
    DevServer server =
        DevServer.start(
            Map.of(
                "TWILIO_AUTH_TOKEN", "smoke-test-token",
                "PAGERDUTY_API_TOKEN", "smoke-test-pd-token"));
    try (server) {
      System.out.println(
          "dev server up in " + server.startupTime().toMillis() + " ms at " + server.baseUrl() + " on "
              + server.jettyVersion() + " (SDK " + System.getProperty(DevServer.SDK_DIR_PROPERTY) + ")");
      assertTrue("no Jetty version in the dev server's log", server.jettyVersion().startsWith("jetty-"));

      HttpResponse<String> response = server.get("/");

      assertEquals(server.log(), 200, response.statusCode());
      String expected = Files.readString(Paths.get("src/main/webapp/index.html"));
      assertEquals(expected, response.body());
      assertTrue(response.body().contains("<h1>phoneduty</h1>"));
    }
    assertFalse("dev server still running after close()", server.isAlive());
    assertTrue(Files.size(server.logFile()) > 0);
  }
}
