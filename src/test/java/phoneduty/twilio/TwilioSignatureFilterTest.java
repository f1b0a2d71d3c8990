package phoneduty.twilio;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.servlet.DispatcherType;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.After;
import org.junit.Test;
import phoneduty.support.LogCapture;
import phoneduty.support.TwilioClient;
import phoneduty.support.TwilioSigner;

public class TwilioSignatureFilterTest {

  private static final String TOKEN = "12345";
  private Server jetty;
  private int port;

  private void start(Optional<String> token, Optional<URI> publicBaseUrl, boolean localDevServer) throws Exception {
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(new TwilioSignatureFilter(new SignatureCheck(token, new PublicUrl(publicBaseUrl), localDevServer))), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain; charset=UTF-8");
        response.getWriter().write("passed " + request.getParameter("Body"));
      }
    }), "/*");
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
    jetty.addConnector(connector);
    jetty.setHandler(context);
    jetty.start();
    port = connector.getLocalPort();
  }

  @After
  public void stop() throws Exception {
    if (jetty != null) {
      jetty.stop();
    }
  }

  private String local(String pathAndQuery) {
    return "http://127.0.0.1:" + port + pathAndQuery;
  }

  @Test
  public void twiliosPublishedVectors_areAcceptedOrRefusedAsPublished() throws Exception {
    JSONArray vectors = new JSONObject(new String(
        getClass().getResourceAsStream("/twilio/signature-vectors.json").readAllBytes(), StandardCharsets.UTF_8))
        .getJSONArray("vectors");
    int checked = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < vectors.length(); i++) {
      JSONObject vector = vectors.getJSONObject(i);
      URI url = URI.create(vector.getString("url").replace(" ", "%20"));
      // Over HTTP we can send form-encoded webhooks only: JSON-body vectors, URLs with
      // credentials and non-ASCII paths (not valid on a request line) are checked in
      // RequestValidatorVectorsTest instead.
      if (!vector.has("params") || url.getRawUserInfo() != null || !vector.getString("url").matches("\\p{ASCII}*")) {
        continue;
      }
      stop();
      String base = url.getScheme() + "://" + url.getRawAuthority();
      start(Optional.of(vector.getString("token")), Optional.of(URI.create(base)), false);
      Map<String, String> form = new LinkedHashMap<>();
      JSONObject params = vector.getJSONObject("params");
      for (String name : params.keySet()) {
        form.put(name, params.isNull(name) ? "" : params.getString(name));
      }
      String pathAndQuery = vector.getString("url").substring(base.length());
      int status = new TwilioClient(TOKEN).post(local(pathAndQuery), form, vector.getString("expected")).statusCode();
      int expected = vector.getBoolean("valid") ? 200 : 403;
      if (status != expected) {
        failures.add(vector.getString("id") + ": expected " + expected + ", got " + status);
      }
      checked++;
    }
    assertTrue("vectors checked: " + checked, checked >= 15);
    assertEquals(List.of(), failures);
  }

  @Test
  public void post_signedByTwilio_passes() throws Exception {
    start(Optional.of(TOKEN), Optional.empty(), false);
    Map<String, String> form = TwilioClient.incomingSms("SM1", "+14155550100", "Checkout down & \"quoted\" ñ");
    HttpResponse<String> response = new TwilioClient(TOKEN).post(local("/sms?service_key=abc&reply=x+y"), form);
    assertEquals(200, response.statusCode());
    assertEquals("passed Checkout down & \"quoted\" ñ", response.body());
  }

  @Test
  public void post_withATamperedParameter_isRefused() throws Exception {
    start(Optional.of(TOKEN), Optional.empty(), false);
    Map<String, String> form = TwilioClient.incomingSms("SM1", "+14155550100", "real text");
    String signature = new TwilioSigner(TOKEN).sign(local("/sms?service_key=abc"), form);
    form.put("Body", "forged text");
    try (LogCapture log = LogCapture.of(TwilioSignatureFilter.class)) {
      assertEquals(403, new TwilioClient(TOKEN).post(local("/sms?service_key=abc"), form, signature).statusCode());
      assertTrue(log.text(), log.text().contains("does not match"));
      assertFalse("the query (with the routing key) is not logged", log.text().contains("service_key=abc"));
    }
  }

  @Test
  public void post_withATamperedQuery_isRefused() throws Exception {
    start(Optional.of(TOKEN), Optional.empty(), false);
    Map<String, String> form = TwilioClient.incomingSms("SM1", "+14155550100", "text");
    String signature = new TwilioSigner(TOKEN).sign(local("/sms?service_key=abc"), form);
    assertEquals(403, new TwilioClient(TOKEN).post(local("/sms?service_key=xyz"), form, signature).statusCode());
  }

  @Test
  public void post_withoutSignatureHeader_isRefused() throws Exception {
    start(Optional.of(TOKEN), Optional.empty(), false);
    try (LogCapture log = LogCapture.of(TwilioSignatureFilter.class)) {
      assertEquals(403, new TwilioClient(TOKEN).post(local("/sms"), Map.of("Body", "x"), null).statusCode());
      assertTrue(log.text(), log.text().contains("no X-Twilio-Signature header"));
    }
  }

  @Test
  public void post_signedWithAnotherToken_isRefused() throws Exception {
    start(Optional.of(TOKEN), Optional.empty(), false);
    assertEquals(403, new TwilioClient("other").post(local("/sms"), Map.of("Body", "x")).statusCode());
  }

  @Test
  public void get_signedByTwilio_passesAndTamperingIsRefused() throws Exception {
    start(Optional.of(TOKEN), Optional.empty(), false);
    Map<String, String> query = new LinkedHashMap<>(TwilioClient.incomingCall("CA1", "+14155550100"));
    query.put("service_key", "abc");
    assertEquals(200, new TwilioClient(TOKEN).get(local("/call"), query).statusCode());

    String url = TwilioClient.withQuery(local("/call"), query);
    String signature = new TwilioSigner(TOKEN).sign(url, Map.of());
    assertEquals(403, new TwilioClient(TOKEN).post(url.replace("CA1", "CA2"), Map.of(), signature).statusCode());
  }

  @Test
  public void behindAProxy_rebuildsTheHttpsUrlTwilioSigned() throws Exception {
    start(Optional.of(TOKEN), Optional.empty(), false);
    Map<String, String> form = TwilioClient.incomingSms("SM1", "+14155550100", "via proxy");
    String signedUrl = "https://phoneduty.example.com/sms?service_key=abc";
    String signature = new TwilioSigner(TOKEN).sign(signedUrl, form);

    assertEquals(200, rawPost("phoneduty.example.com", "https", "/sms?service_key=abc", form, signature));
    assertEquals("the scheme matters", 403, rawPost("phoneduty.example.com", null, "/sms?service_key=abc", form, signature));
    assertEquals("the host matters", 403, rawPost("evil.example.com", "https", "/sms?service_key=abc", form, signature));
  }

  @Test
  public void behindAProxy_acceptsTheUrlSignedWithOrWithoutTheDefaultPort() throws Exception {
    start(Optional.of(TOKEN), Optional.empty(), false);
    Map<String, String> form = TwilioClient.incomingSms("SM1", "+14155550100", "ports");
    String withPort = new TwilioSigner(TOKEN).sign("https://phoneduty.example.com:443/sms", form);
    String withoutPort = new TwilioSigner(TOKEN).sign("https://phoneduty.example.com/sms", form);

    assertEquals(200, rawPost("phoneduty.example.com", "https", "/sms", form, withPort));
    assertEquals(200, rawPost("phoneduty.example.com", "https", "/sms", form, withoutPort));
    assertEquals(200, rawPost("phoneduty.example.com:443", "https", "/sms", form, withoutPort));
  }

  @Test
  public void withPublicBaseUrl_checksAgainstThatUrlWhateverTheProxySays() throws Exception {
    start(Optional.of(TOKEN), Optional.of(URI.create("https://pager.example.com")), false);
    Map<String, String> form = TwilioClient.incomingSms("SM1", "+14155550100", "fixed");
    String signature = new TwilioSigner(TOKEN).sign("https://pager.example.com/sms", form);

    assertEquals(200, rawPost("internal-host:8080", null, "/sms", form, signature));
    assertEquals(200, new TwilioClient(TOKEN).post(local("/sms"), form, signature).statusCode());
  }

  @Test
  public void withoutAuthToken_theDeployedAppRefusesEveryWebhookAndNamesTheSetting() throws Exception {
    start(Optional.empty(), Optional.empty(), false);
    try (LogCapture log = LogCapture.of(TwilioSignatureFilter.class)) {
      assertEquals(403, new TwilioClient(TOKEN).post(local("/sms"), Map.of("Body", "x")).statusCode());
      assertTrue(log.text(), log.text().contains("TWILIO_AUTH_TOKEN is not set"));
    }
  }

  @Test
  public void withoutAuthToken_theLocalDevServerAcceptsUnsignedWebhooksWithAWarning() throws Exception {
    start(Optional.empty(), Optional.empty(), true);
    try (LogCapture log = LogCapture.of(TwilioSignatureFilter.class)) {
      assertEquals(200, new TwilioClient(TOKEN).post(local("/sms"), Map.of("Body", "x"), null).statusCode());
      assertTrue(log.text(), log.text().contains("WARNING Accepting unsigned"));
    }
  }

  /** A raw HTTP/1.1 POST, so the test can send the Host header a proxy would. */
  private int rawPost(String host, String forwardedProto, String pathAndQuery, Map<String, String> form,
      String signature) throws IOException {
    byte[] body = TwilioClient.formBody(form).getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder()
        .append("POST ").append(pathAndQuery).append(" HTTP/1.1\r\n")
        .append("Host: ").append(host).append("\r\n")
        .append("Content-Type: application/x-www-form-urlencoded\r\n")
        .append("Content-Length: ").append(body.length).append("\r\n")
        .append("X-Twilio-Signature: ").append(signature).append("\r\n")
        .append("Connection: close\r\n");
    if (forwardedProto != null) {
      head.append("X-Forwarded-Proto: ").append(forwardedProto).append("\r\n");
    }
    head.append("\r\n");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      String statusLine = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\r\n", 2)[0];
      return Integer.parseInt(statusLine.split(" ")[1]);
    }
  }
}
