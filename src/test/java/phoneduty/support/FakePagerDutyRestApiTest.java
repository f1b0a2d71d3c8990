package phoneduty.support;

import static org.junit.Assert.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
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

  @Test
  public void incidentsAreFoundByIncidentKey_andUnknownParametersRefused() throws Exception {
    pagerDuty.incident("PINC001", "CA01").incident("PINC002", "CA02");
    HttpResponse<String> found = getUrl(pagerDuty.baseUrl() + "/incidents?incident_key=CA02");
    assertEquals(200, found.statusCode());
    JSONArray incidents = new JSONObject(found.body()).getJSONArray("incidents");
    assertEquals(1, incidents.length());
    assertEquals("PINC002", incidents.getJSONObject(0).getString("id"));
    assertEquals(400, getUrl(pagerDuty.baseUrl() + "/incidents?dedup_key=CA02").statusCode());
  }

  @Test
  public void noteNeedsFromAndASchemaValidBody() throws Exception {
    pagerDuty.incident("PINC001", "CA01");
    String notes = pagerDuty.baseUrl() + "/incidents/PINC001/notes";
    String good = "{\"note\":{\"content\":\"Transcript\"}}";
    assertEquals(400, post(notes, null, good));
    assertEquals(400, post(notes, "Bot <bot@example.com>", good));
    assertEquals(400, post(notes, "bot@example.com", "{\"note\":{}}"));
    assertEquals(400, post(notes, "bot@example.com", "{\"content\":\"Transcript\"}"));
    assertEquals(400, post(notes, "bot@example.com", "{\"note\":{\"content\":42}}"));
    assertEquals(404, post(pagerDuty.baseUrl() + "/incidents/PNOSUCH/notes", "bot@example.com", good));
    assertEquals(0, pagerDuty.notes().size());
    assertEquals(200, post(notes, "bot@example.com", good));
    assertEquals(1, pagerDuty.notes().size());
    assertEquals("Transcript", pagerDuty.notes().get(0).content());
  }

  @Test
  public void scheduleAnswersHaveTheSpecsShape_andAreCutToTheRangeUnlessOverflow() throws Exception {
    Instant start = Instant.parse("2026-11-22T00:00:00Z");
    pagerDuty.scheduleShift("PSC0005", "PUSER05", "Lin", start, start.plusSeconds(12 * 3600))
        .scheduleShift("PSC0005", "PUSER06", "Max", start.plusSeconds(12 * 3600), start.plusSeconds(24 * 3600));
    String range = "?since=2026-11-22T06:00:00Z&until=2026-11-22T06:01:00Z";

    JSONObject overflowing = new JSONObject(get("/schedules/PSC0005" + range + "&overflow=true").body());
    assertEquals(List.of(), RestApiSchema.scheduleAnswerProblems(overflowing));
    JSONArray entries = overflowing.getJSONObject("schedule").getJSONObject("final_schedule")
        .getJSONArray("rendered_schedule_entries");
    assertEquals(1, entries.length());
    assertEquals("PUSER05", entries.getJSONObject(0).getJSONObject("user").getString("id"));
    assertEquals("2026-11-22T12:00:00Z", entries.getJSONObject(0).getString("end"));

    JSONObject cut = new JSONObject(get("/schedules/PSC0005" + range).body());
    assertEquals(List.of(), RestApiSchema.scheduleAnswerProblems(cut));
    assertEquals("2026-11-22T06:01:00Z", cut.getJSONObject("schedule").getJSONObject("final_schedule")
        .getJSONArray("rendered_schedule_entries").getJSONObject(0).getString("end"));

    assertEquals(404, get("/schedules/PNOSUCH" + range).statusCode());
    assertEquals(400, get("/schedules/PSC0005?since=yesterday").statusCode());
    assertEquals(400, get("/schedules/PSC0005?since=2026-11-22T06:01:00Z&until=2026-11-22T06:00:00Z").statusCode());
    assertEquals(400, get("/schedules/PSC0005?from=2026-11-22T06:00:00Z").statusCode());
  }

  private HttpResponse<String> getUrl(String url) throws Exception {
    return send(url, "Token token=" + TOKEN, FakePagerDutyRestApi.ACCEPT);
  }

  private int post(String url, String from, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Token token=" + TOKEN)
        .header("Accept", FakePagerDutyRestApi.ACCEPT).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (from != null) {
      request.header("From", from);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
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
