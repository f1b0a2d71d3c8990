package phoneduty.support;

import static org.junit.Assert.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The fake REST API itself: it must refuse what PagerDuty would, or the client tests prove little. */
public final class FakePagerDutyRestApiTest {

  private static final String TOKEN = "u+pdTestToken-0123456789abcdef";
  private static final String POLICY = "PEP0001";

  private final HttpClient http = HttpClient.newHttpClient();
  private FakePagerDutyRestApi pagerDuty;

  @Before
  public void setUp() throws Exception {
    pagerDuty = FakePagerDutyRestApi.start(TOKEN);
  }

  @After
  public void tearDown() {
    pagerDuty.close();
  }

  @Test
  public void refusesWhatPagerDutyWould() throws Exception {
    String good = pagerDuty.baseUrl() + "/oncalls?escalation_policy_ids%5B%5D=" + POLICY + "&earliest=true";
    assertEquals(200, status(good, "Token token=" + TOKEN, FakePagerDutyRestApi.ACCEPT));
    assertEquals(401, status(good, "Token token=wrong", FakePagerDutyRestApi.ACCEPT));
    assertEquals(401, status(good, "Bearer " + TOKEN, FakePagerDutyRestApi.ACCEPT));
    assertEquals(406, status(good, "Token token=" + TOKEN, "application/json"));
    assertEquals(400, status(pagerDuty.baseUrl() + "/oncalls?escalation_policy_ids=" + POLICY,
        "Token token=" + TOKEN, FakePagerDutyRestApi.ACCEPT));
    assertEquals(400, status(pagerDuty.baseUrl() + "/oncalls?earliest=yes",
        "Token token=" + TOKEN, FakePagerDutyRestApi.ACCEPT));
    assertEquals(404, status(pagerDuty.baseUrl() + "/users/PNOBODY/contact_methods",
        "Token token=" + TOKEN, FakePagerDutyRestApi.ACCEPT));
  }

  @Test
  public void anyPolicyOnCallMakesUpOneUserForPoliciesNoEntryNames() throws Exception {
    pagerDuty.aliceThenBob(POLICY).anyPolicyOnCall();
    JSONArray oncalls = new JSONObject(get("/oncalls?escalation_policy_ids%5B%5D=" + POLICY
        + "&escalation_policy_ids%5B%5D=PNEW0001").body()).getJSONArray("oncalls");
    assertEquals(3, oncalls.length());
    JSONObject madeUp = oncalls.getJSONObject(2);
    assertEquals("PNEW0001", madeUp.getJSONObject("escalation_policy").getString("id"));
    assertEquals("UPNEW0001", madeUp.getJSONObject("user").getString("id"));
    assertEquals("phone_contact_method", new JSONObject(get("/users/UPNEW0001/contact_methods").body())
        .getJSONArray("contact_methods").getJSONObject(0).getString("type"));
    assertEquals(200, get("/escalation_policies/PNEW0001").statusCode());
    assertEquals(404, get("/users/PNOBODY/contact_methods").statusCode());
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return send(pagerDuty.baseUrl() + pathAndQuery, "Token token=" + TOKEN, FakePagerDutyRestApi.ACCEPT);
  }

  private int status(String url, String authorization, String accept) throws Exception {
    return send(url, authorization, accept).statusCode();
  }

  private HttpResponse<String> send(String url, String authorization, String accept) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", authorization).header("Accept", accept).header("Content-Type", "application/json")
        .GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
