package phoneduty.support;

import static phoneduty.support.RestApiRules.dateTimeParameter;
import static phoneduty.support.RestApiRules.error;
import static phoneduty.support.RestApiRules.intParameter;
import static phoneduty.support.RestApiRules.parseQuery;
import static phoneduty.support.RestApiRules.queryParameters;
import static phoneduty.support.RestApiRules.scriptedError;
import static phoneduty.support.RestApiRules.unknownParameters;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * PagerDuty's REST API v2 on loopback, for what the on-call directory reads: {@code GET /oncalls}
 * (filters, classic offset pagination with {@code limit}/{@code offset}/{@code more}/{@code total}),
 * {@code GET /users/{id}/contact_methods} and {@code GET /escalation_policies/{id}} (every policy
 * named in an on-call entry exists, with {@code num_loops} 0 unless a test sets it), {@code GET
 * /schedules/{id}} (the shifts of its on-call entries and of schedules no policy uses, rendered for
 * {@code since}/{@code until}, cut to them unless {@code overflow=true}); and for
 * transcript notes: {@code GET /incidents} (filtered by {@code incident_key}) over the incidents a
 * test opens, and {@code POST /incidents/{id}/notes}, which needs the {@code From} header (an email
 * address) and a body valid against the operation's official schema ({@link RestApiSchema}).
 *
 * <p>It is as strict as the official OpenAPI spec (copied unchanged into test resources) makes
 * possible, and stricter where PagerDuty is lenient, so that a client that drifts from the spec
 * fails here:
 *
 * <ul>
 *   <li>401 with PagerDuty's error JSON unless {@code Authorization} is exactly {@code Token
 *       token=<token>};
 *   <li>406 unless {@code Accept} is exactly {@code application/vnd.pagerduty+json;version=2}, and
 *       400 unless {@code Content-Type} is {@code application/json} (both marked required, on
 *       every operation, in the spec);
 *   <li>400 for a query parameter the spec does not list for the operation (so {@code
 *       escalation_policy_ids} without {@code []} is refused), and for a malformed {@code limit},
 *       {@code offset} or {@code earliest}.
 * </ul>
 *
 * <p>Tests script it: the on-call entries and contact methods it holds, statuses to answer next
 * (429 comes with PagerDuty's {@code ratelimit-*} headers), and a latency for every answer (a hang
 * past the read timeout). It counts and records every request. The benchmark also has it put
 * someone on call for any policy ({@link #anyPolicyOnCall}), for its endless supply of new lines.
 */
public final class FakePagerDutyRestApi implements AutoCloseable {

  public static final String ACCEPT = "application/vnd.pagerduty+json;version=2";
  /** PagerDuty's largest page. */
  public static final int MAX_LIMIT = 100;
  public static final int DEFAULT_LIMIT = 25;

  private static final Set<String> READ_HEADERS = Set.of("Accept: " + ACCEPT, "Content-Type: application/json");
  private static final Set<String> ONCALLS_PARAMETERS = queryParameters("/oncalls", "get", READ_HEADERS);
  private static final Set<String> CONTACT_METHODS_PARAMETERS =
      queryParameters("/users/{id}/contact_methods", "get", READ_HEADERS);
  private static final Set<String> POLICY_PARAMETERS = queryParameters("/escalation_policies/{id}", "get", READ_HEADERS);
  private static final Set<String> INCIDENTS_PARAMETERS = queryParameters("/incidents", "get", READ_HEADERS);
  private static final Set<String> NOTE_PARAMETERS = queryParameters("/incidents/{id}/notes", "post",
      Set.of("Accept: " + ACCEPT, "Content-Type: application/json", "From: "));
  private static final Pattern CONTACT_METHODS = Pattern.compile("/users/([^/]+)/contact_methods");
  private static final Pattern POLICY = Pattern.compile("/escalation_policies/([^/]+)");
  private static final Set<String> SCHEDULE_PARAMETERS = queryParameters("/schedules/{id}", "get", READ_HEADERS);
  private static final Pattern SCHEDULE = Pattern.compile("/schedules/([^/]+)");
  private static final Pattern NOTES = Pattern.compile("/incidents/([^/]+)/notes");
  /** The spec's {@code format: email} for {@code From}, as PagerDuty checks it: one plain address. */
  private static final Pattern EMAIL = Pattern.compile("[^@\\s<>,]+@[^@\\s<>,]+\\.[^@\\s<>,]+");

  private final String token;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<JSONObject> oncalls = new ArrayList<>();
  private final Map<String, JSONArray> contactMethods = new HashMap<>();
  private final Map<String, Integer> numLoops = new HashMap<>();
  /** Rendered entries of schedules that no escalation policy uses, by schedule id. */
  private final Map<String, List<JSONObject>> standaloneSchedules = new HashMap<>();
  private final List<JSONObject> incidents = new ArrayList<>();
  private final List<Note> notes = new ArrayList<>();
  private final Deque<Scripted> scripted = new ArrayDeque<>();
  private final List<Request> requests = new ArrayList<>();
  private volatile Duration latency = Duration.ZERO;
  private volatile boolean anyPolicyOnCall;

  private FakePagerDutyRestApi(String token, int port) throws IOException {
    this.token = token;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A server that accepts only this REST API token. */
  public static FakePagerDutyRestApi start(String token) throws IOException {
    return new FakePagerDutyRestApi(token, 0);
  }

  /** A new server on a port a closed one used: the REST API coming back after an outage. */
  public static FakePagerDutyRestApi startOn(String token, int port) throws IOException {
    return new FakePagerDutyRestApi(token, port);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  // ---- data ----------------------------------------------------------------------------------------

  /**
   * Puts a user on call now.
   *
   * @param scheduleId the schedule the user is on call through, or null for a user the policy
   *     targets directly
   */
  public synchronized FakePagerDutyRestApi onCall(
      String escalationPolicyId, String scheduleId, int level, String userId, String name) {
    oncalls.add(entry(escalationPolicyId, scheduleId, level, userId, name));
    return this;
  }

  /** Puts a user on call through a schedule until this instant, when their shift ends. */
  public synchronized FakePagerDutyRestApi onCallUntil(
      String escalationPolicyId, String scheduleId, int level, String userId, String name, Instant end) {
    return onCallUntil(escalationPolicyId, scheduleId, level, userId, name, end.toString());
  }

  /** As above, with the end written as PagerDuty may write it, e.g. in the account's time zone. */
  public synchronized FakePagerDutyRestApi onCallUntil(
      String escalationPolicyId, String scheduleId, int level, String userId, String name, String end) {
    oncalls.add(entry(escalationPolicyId, scheduleId, level, userId, name).put("end", end));
    return this;
  }

  /**
   * From now on, every escalation policy no entry names has one user on call at level 1, {@code U}
   * followed by the policy's id (cut to PagerDuty's 20 characters), with one phone number. Made up
   * per request and never stored, so the benchmark can call thousands of new lines.
   */
  public FakePagerDutyRestApi anyPolicyOnCall() {
    anyPolicyOnCall = true;
    return this;
  }

  private JSONObject entry(String escalationPolicyId, String scheduleId, int level, String userId, String name) {
    return new JSONObject()
        .put("escalation_policy", reference("escalation_policy", escalationPolicyId, "Policy " + escalationPolicyId))
        .put("escalation_level", level)
        .put("schedule", scheduleId == null ? JSONObject.NULL : reference("schedule", scheduleId, "Schedule " + scheduleId))
        .put("user", reference("user", userId, name))
        // A schedule's shift started a day ago and ends tomorrow, by the wall clock: the dev
        // server's calls, whose clock is the real one, must find it on call too.
        .put("start", scheduleId == null ? JSONObject.NULL : SHIFT_START.toString())
        .put("end", scheduleId == null ? JSONObject.NULL : SHIFT_END.toString());
  }

  private static final Instant SHIFT_START = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));
  private static final Instant SHIFT_END = SHIFT_START.plus(Duration.ofDays(2));

  private static String madeUpUser(String policyId) {
    return "U" + policyId.substring(0, Math.min(policyId.length(), 19));
  }

  /** Sets a user's contact methods (see {@link #phone}, {@link #sms}, {@link #email}, {@link #push}). */
  public synchronized FakePagerDutyRestApi contactMethods(String userId, JSONObject... methods) {
    JSONArray array = new JSONArray();
    for (JSONObject method : methods) {
      array.put(method);
    }
    contactMethods.put(userId, array);
    return this;
  }

  /**
   * The usual two-level roster of the forwarding tests: Alice Example (+14155550001) at level 1,
   * Bob Example at level 2 with an SMS number (+14155559999, never dialled) and a phone (+14155550002).
   */
  public FakePagerDutyRestApi aliceThenBob(String policy) {
    return onCall(policy, "PSC0001", 1, "PU00001", "Alice Example")
        .onCall(policy, "PSC0002", 2, "PU00002", "Bob Example")
        .contactMethods("PU00001", phone(1, "4155550001"))
        .contactMethods("PU00002", sms(1, "4155559999"), phone(1, "4155550002"));
  }

  /** Sets an escalation policy's {@code num_loops} (how often it repeats after its last level). */
  public synchronized FakePagerDutyRestApi numLoops(String policyId, int loops) {
    numLoops.put(policyId, loops);
    return this;
  }

  /** Opens an incident under this dedup key (what an Events API trigger makes PagerDuty do). */
  public synchronized FakePagerDutyRestApi incident(String id, String incidentKey) {
    incidents.add(new JSONObject().put("id", id).put("type", "incident").put("summary", "[#1] Voicemail")
        .put("self", baseUrl() + "/incidents/" + id).put("html_url", "https://example.pagerduty.com/incidents/" + id)
        .put("incident_number", incidents.size() + 1).put("title", "Voicemail").put("status", "triggered")
        .put("incident_key", incidentKey).put("created_at", "2026-11-22T06:00:00Z"));
    return this;
  }

  /**
   * A shift of a schedule that no escalation policy uses: {@code /oncalls} never lists it (PagerDuty
   * lists on-call time by escalation policy), {@code GET /schedules/{id}} renders it. An end of null
   * is a shift that does not end.
   */
  public synchronized FakePagerDutyRestApi scheduleShift(String scheduleId, String userId, String name, Instant start,
      Instant end) {
    standaloneSchedules.computeIfAbsent(scheduleId, id -> new ArrayList<>()).add(new JSONObject()
        .put("start", start.toString()).put("end", end == null ? JSONObject.NULL : end.toString())
        .put("user", reference("user", userId, name)));
    return this;
  }

  /** A schedule that no escalation policy uses and that has nobody on call (a gap in its rotation). */
  public synchronized FakePagerDutyRestApi emptySchedule(String scheduleId) {
    standaloneSchedules.computeIfAbsent(scheduleId, id -> new ArrayList<>());
    return this;
  }

  /** Takes everyone off call: a hand-over to nobody. */
  public synchronized FakePagerDutyRestApi nobodyOnCall() {
    oncalls.clear();
    return this;
  }

  public static JSONObject phone(int countryCode, String address) {
    return phoneLike("phone_contact_method", countryCode, address);
  }

  public static JSONObject sms(int countryCode, String address) {
    return phoneLike("sms_contact_method", countryCode, address);
  }

  public static JSONObject email(String address) {
    return new JSONObject().put("id", id()).put("type", "email_contact_method").put("summary", "Work")
        .put("label", "Work").put("address", address).put("send_short_email", false).put("enabled", true);
  }

  public static JSONObject push() {
    return new JSONObject().put("id", id()).put("type", "push_notification_contact_method")
        .put("summary", "Phone").put("label", "Phone").put("address", "0123abcd").put("device_type", "ios")
        .put("blacklisted", false);
  }

  private static JSONObject phoneLike(String type, int countryCode, String address) {
    return new JSONObject().put("id", id()).put("type", type).put("summary", "Mobile").put("label", "Mobile")
        .put("country_code", countryCode).put("address", address).put("enabled", true).put("blacklisted", false);
  }

  private static int ids = 0;

  private static synchronized String id() {
    return String.format("PCM%04d", ++ids);
  }

  private JSONObject reference(String kind, String id, String summary) {
    return new JSONObject().put("id", id).put("type", kind + "_reference").put("summary", summary)
        .put("self", baseUrl() + "/" + kind + "s/" + id)
        .put("html_url", "https://example.pagerduty.com/" + kind + "s/" + id);
  }

  // ---- scripting -----------------------------------------------------------------------------------

  /** The next requests get these statuses, with PagerDuty's error JSON, before normal service. */
  public FakePagerDutyRestApi answerNext(int... statuses) {
    return answerNextOn("/", statuses);
  }

  /** The next requests whose path starts with this prefix get these statuses; others are served. */
  public synchronized FakePagerDutyRestApi answerNextOn(String pathPrefix, int... statuses) {
    for (int status : statuses) {
      scripted.add(new Scripted(pathPrefix, status, Map.of()));
    }
    return this;
  }

  /** The next request gets 429 with PagerDuty's rate-limit headers: wait this many seconds. */
  public FakePagerDutyRestApi rateLimitNext(int resetSeconds) {
    return rateLimitNextOn("/", resetSeconds);
  }

  /** The next request whose path starts with this prefix gets 429 with PagerDuty's rate-limit headers. */
  public synchronized FakePagerDutyRestApi rateLimitNextOn(String pathPrefix, int resetSeconds) {
    scripted.add(new Scripted(pathPrefix, 429, Map.of(
        "ratelimit-limit", "960",
        "ratelimit-remaining", "0",
        "ratelimit-reset", Integer.toString(resetSeconds))));
    return this;
  }

  /** Every answer waits this long first (a slow or hanging PagerDuty). */
  public FakePagerDutyRestApi latency(Duration latency) {
    this.latency = latency;
    return this;
  }

  // ---- inspection ----------------------------------------------------------------------------------

  /** Every request received, in order. */
  public synchronized List<Request> requests() {
    return new ArrayList<>(requests);
  }

  /** How many requests came for exactly this path (no query), e.g. "/oncalls". */
  public synchronized int count(String path) {
    return (int) requests.stream().filter(request -> request.path.equals(path)).count();
  }

  public synchronized int count() {
    return requests.size();
  }

  /** Every note added, in order. */
  public synchronized List<Note> notes() {
    return new ArrayList<>(notes);
  }

  /** Waits for a note on this incident (the dev server's Task Queue adds it in its own time). */
  public Note awaitNote(String incidentId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (Note note : notes()) {
        if (note.incidentId().equals(incidentId)) {
          return note;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("No note on " + incidentId + " reached the fake REST API within " + timeout
        + "; requests: " + requests());
  }

  /**
   * One note as PagerDuty took it.
   *
   * @param from the {@code From} header
   * @param body the request body as sent
   */
  public record Note(String incidentId, String from, JSONObject body) {
    public String content() {
      return body.getJSONObject("note").getString("content");
    }
  }

  /** One request as received. */
  public record Request(String method, String path, Map<String, List<String>> query, Map<String, List<String>> headers) {
    public List<String> parameter(String name) {
      return query.getOrDefault(name, List.of());
    }

    public String header(String name) {
      for (Map.Entry<String, List<String>> header : headers.entrySet()) {
        if (header.getKey().equalsIgnoreCase(name)) {
          return header.getValue().get(0);
        }
      }
      return null;
    }
  }

  private record Scripted(String pathPrefix, int status, Map<String, String> headers) {}

  // ---- serving -------------------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getRawPath();
      Map<String, List<String>> query;
      try {
        query = parseQuery(exchange.getRequestURI().getRawQuery());
      } catch (IllegalArgumentException e) {
        LoopbackHttp.sendJson(exchange, 400, error("Invalid Input Provided", 2001, e.getMessage()));
        return;
      }
      Headers headers = exchange.getRequestHeaders();
      Scripted script;
      synchronized (this) {
        requests.add(new Request(exchange.getRequestMethod(), path, query, copy(headers)));
      }
      LoopbackHttp.delay(latency);

      if (!("Token token=" + token).equals(headers.getFirst("Authorization"))) {
        LoopbackHttp.sendJson(exchange, 401, error("Unauthorized", 2006, null));
        return;
      }
      if (!ACCEPT.equals(headers.getFirst("Accept"))) {
        LoopbackHttp.sendJson(exchange, 406, error("Not Acceptable", 2001, "Accept must be " + ACCEPT));
        return;
      }
      if (!"application/json".equals(headers.getFirst("Content-Type"))) {
        LoopbackHttp.sendJson(exchange, 400, error("Invalid Input Provided", 2001, "Content-Type must be application/json"));
        return;
      }
      Matcher notesPath = NOTES.matcher(path);
      String method = exchange.getRequestMethod();
      if (!(notesPath.matches() ? "POST" : "GET").equals(method)) {
        LoopbackHttp.sendJson(exchange, 405, error("Method Not Allowed", 2001, null));
        return;
      }
      synchronized (this) {
        script = scripted.stream().filter(next -> path.startsWith(next.pathPrefix)).findFirst().orElse(null);
        scripted.remove(script);
      }
      if (script != null) {
        script.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        LoopbackHttp.sendJson(exchange, script.status, scriptedError(script.status));
        return;
      }
      Matcher contacts = CONTACT_METHODS.matcher(path);
      Matcher policy = POLICY.matcher(path);
      if (notesPath.matches()) {
        addNote(exchange, query, URLDecoder.decode(notesPath.group(1), StandardCharsets.UTF_8),
            headers.getFirst("From"), body);
      } else if (path.equals("/incidents")) {
        listIncidents(exchange, query);
      } else if (path.equals("/oncalls")) {
        listOnCalls(exchange, query);
      } else if (SCHEDULE.matcher(path).matches()) {
        Matcher schedule = SCHEDULE.matcher(path);
        schedule.matches();
        describeSchedule(exchange, query, URLDecoder.decode(schedule.group(1), StandardCharsets.UTF_8));
      } else if (policy.matches()) {
        describePolicy(exchange, query, URLDecoder.decode(policy.group(1), StandardCharsets.UTF_8));
      } else if (contacts.matches()) {
        listContactMethods(exchange, query, URLDecoder.decode(contacts.group(1), StandardCharsets.UTF_8));
      } else {
        LoopbackHttp.sendJson(exchange, 404, error("Not Found", 2100, null));
      }
    }
  }

  private void listOnCalls(HttpExchange exchange, Map<String, List<String>> query) throws IOException {
    String problem = unknownParameters(query, ONCALLS_PARAMETERS);
    int limit;
    int offset;
    try {
      limit = Math.min(MAX_LIMIT, intParameter(query, "limit", DEFAULT_LIMIT, 1));
      offset = intParameter(query, "offset", 0, 0);
      for (String flag : List.of("earliest", "total")) {
        for (String value : query.getOrDefault(flag, List.of())) {
          if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(flag + " must be true or false");
          }
        }
      }
    } catch (IllegalArgumentException e) {
      problem = e.getMessage();
      limit = 0;
      offset = 0;
    }
    if (problem != null) {
      LoopbackHttp.sendJson(exchange, 400, error("Invalid Input Provided", 2001, problem));
      return;
    }
    List<String> policies = query.getOrDefault("escalation_policy_ids[]", List.of());
    List<String> schedules = query.getOrDefault("schedule_ids[]", List.of());
    List<JSONObject> matching = new ArrayList<>();
    synchronized (this) {
      for (JSONObject entry : oncalls) {
        boolean policyMatches = policies.isEmpty()
            || policies.contains(entry.getJSONObject("escalation_policy").getString("id"));
        Object schedule = entry.get("schedule");
        boolean scheduleMatches = schedules.isEmpty()
            || (schedule instanceof JSONObject && schedules.contains(((JSONObject) schedule).getString("id")));
        if (policyMatches && scheduleMatches) {
          matching.add(entry);
        }
      }
    }
    if (anyPolicyOnCall && schedules.isEmpty()) {
      Set<String> named = new TreeSet<>();
      matching.forEach(entry -> named.add(entry.getJSONObject("escalation_policy").getString("id")));
      policies.stream().filter(id -> !named.contains(id))
          .forEach(id -> matching.add(entry(id, null, 1, madeUpUser(id), "On call for " + id)));
    }
    JSONArray page = new JSONArray();
    for (int i = offset; i < Math.min(matching.size(), offset + limit); i++) {
      page.put(matching.get(i));
    }
    boolean total = query.getOrDefault("total", List.of()).contains("true");
    LoopbackHttp.sendJson(exchange, 200, new JSONObject()
        .put("oncalls", page)
        .put("limit", limit)
        .put("offset", offset)
        .put("more", offset + limit < matching.size())
        .put("total", total ? (Object) matching.size() : JSONObject.NULL));
  }

  private void listIncidents(HttpExchange exchange, Map<String, List<String>> query) throws IOException {
    String problem = unknownParameters(query, INCIDENTS_PARAMETERS);
    if (problem != null) {
      LoopbackHttp.sendJson(exchange, 400, error("Invalid Input Provided", 2001, problem));
      return;
    }
    List<String> keys = query.getOrDefault("incident_key", List.of());
    JSONArray matching = new JSONArray();
    synchronized (this) {
      incidents.stream().filter(incident -> keys.isEmpty() || keys.contains(incident.getString("incident_key")))
          .forEach(matching::put);
    }
    LoopbackHttp.sendJson(exchange, 200, new JSONObject().put("incidents", matching).put("limit", DEFAULT_LIMIT)
        .put("offset", 0).put("more", false).put("total", JSONObject.NULL));
  }

  private void addNote(HttpExchange exchange, Map<String, List<String>> query, String incidentId, String from,
      String body) throws IOException {
    String problem = unknownParameters(query, NOTE_PARAMETERS);
    if (problem == null && (from == null || !EMAIL.matcher(from).matches())) {
      problem = "The From header must be the email address of a user of the account";
    }
    JSONObject json = null;
    if (problem == null) {
      try {
        json = new JSONObject(body);
        List<String> schema = RestApiSchema.noteProblems(json);
        problem = schema.isEmpty() ? null : "Note body breaks the schema: " + schema;
      } catch (org.json.JSONException e) {
        problem = "The body is not JSON";
      }
    }
    if (problem != null) {
      LoopbackHttp.sendJson(exchange, 400, error("Invalid Input Provided", 2001, problem));
      return;
    }
    synchronized (this) {
      if (incidents.stream().noneMatch(incident -> incident.getString("id").equals(incidentId))) {
        problem = "no such incident";
      } else {
        notes.add(new Note(incidentId, from, json));
      }
    }
    if (problem != null) {
      LoopbackHttp.sendJson(exchange, 404, error("Not Found", 2100, null));
      return;
    }
    LoopbackHttp.sendJson(exchange, 200, new JSONObject().put("note", new JSONObject().put("id", id())
        .put("user", reference("user", "PU00009", "Phoneduty Bot"))
        .put("channel", new JSONObject().put("summary", "The PagerDuty website or APIs"))
        .put("content", json.getJSONObject("note").getString("content"))
        .put("created_at", "2026-11-22T06:00:00Z")));
  }

  private void listContactMethods(HttpExchange exchange, Map<String, List<String>> query, String userId)
      throws IOException {
    String problem = unknownParameters(query, CONTACT_METHODS_PARAMETERS);
    if (problem != null) {
      LoopbackHttp.sendJson(exchange, 400, error("Invalid Input Provided", 2001, problem));
      return;
    }
    JSONArray methods;
    synchronized (this) {
      methods = contactMethods.get(userId);
    }
    if (methods == null && anyPolicyOnCall && userId.startsWith("U")) {
      // A made-up user (anyPolicyOnCall): one phone, the same on every request.
      methods = new JSONArray().put(phone(1, String.format("41555%05d", Math.floorMod(userId.hashCode(), 100_000))));
    }
    if (methods == null) {
      LoopbackHttp.sendJson(exchange, 404, error("Not Found", 2100, null));
      return;
    }
    LoopbackHttp.sendJson(exchange, 200, new JSONObject().put("contact_methods", methods));
  }

  private void describePolicy(HttpExchange exchange, Map<String, List<String>> query, String policyId)
      throws IOException {
    String problem = unknownParameters(query, POLICY_PARAMETERS);
    if (problem != null) {
      LoopbackHttp.sendJson(exchange, 400, error("Invalid Input Provided", 2001, problem));
      return;
    }
    Integer loops;
    synchronized (this) {
      boolean known = anyPolicyOnCall || numLoops.containsKey(policyId) || oncalls.stream()
          .anyMatch(entry -> entry.getJSONObject("escalation_policy").getString("id").equals(policyId));
      loops = known ? numLoops.getOrDefault(policyId, 0) : null;
    }
    if (loops == null) {
      LoopbackHttp.sendJson(exchange, 404, error("Not Found", 2100, null));
      return;
    }
    LoopbackHttp.sendJson(exchange, 200, new JSONObject().put("escalation_policy", new JSONObject()
        .put("id", policyId).put("type", "escalation_policy").put("summary", "Policy " + policyId)
        .put("name", "Policy " + policyId).put("self", baseUrl() + "/escalation_policies/" + policyId)
        .put("html_url", "https://example.pagerduty.com/escalation_policies/" + policyId)
        .put("num_loops", loops).put("escalation_rules", new JSONArray())));
  }

  /**
   * A schedule with the entries of its final layer that overlap {@code since}–{@code until} (both
   * needed for them, as PagerDuty renders none without a range), cut to that range unless {@code
   * overflow=true}: its standalone shifts, and the shifts of the on-call entries that name it.
   */
  private void describeSchedule(HttpExchange exchange, Map<String, List<String>> query, String scheduleId)
      throws IOException {
    String problem = unknownParameters(query, SCHEDULE_PARAMETERS);
    Instant since = null;
    Instant until = null;
    try {
      since = dateTimeParameter(query, "since");
      until = dateTimeParameter(query, "until");
      if (since != null && until != null && !until.isAfter(since)) {
        problem = "until must be after since";
      }
    } catch (IllegalArgumentException e) {
      problem = e.getMessage();
    }
    if (problem != null) {
      LoopbackHttp.sendJson(exchange, 400, error("Invalid Input Provided", 2001, problem));
      return;
    }
    boolean overflow = query.getOrDefault("overflow", List.of()).contains("true");
    List<JSONObject> shifts = new ArrayList<>();
    boolean known;
    synchronized (this) {
      known = standaloneSchedules.containsKey(scheduleId);
      shifts.addAll(standaloneSchedules.getOrDefault(scheduleId, List.of()));
      for (JSONObject entry : oncalls) {
        if (entry.get("schedule") instanceof JSONObject schedule && schedule.getString("id").equals(scheduleId)) {
          known = true;
          shifts.add(new JSONObject().put("start", entry.get("start")).put("end", entry.get("end"))
              .put("user", entry.getJSONObject("user")));
        }
      }
    }
    if (!known) {
      LoopbackHttp.sendJson(exchange, 404, error("Not Found", 2100, null));
      return;
    }
    JSONObject finalSchedule = new JSONObject().put("name", "Final Schedule");
    if (since != null || until != null) {
      Instant from = since != null ? since : until.minus(Duration.ofDays(14));
      Instant to = until != null ? until : since.plus(Duration.ofDays(14));
      JSONArray rendered = new JSONArray();
      for (JSONObject shift : shifts) {
        Instant start = OffsetDateTime.parse(shift.getString("start")).toInstant();
        Instant end = shift.isNull("end") ? null : OffsetDateTime.parse(shift.getString("end")).toInstant();
        if (start.isBefore(to) && (end == null || end.isAfter(from))) {
          rendered.put(new JSONObject(shift.toString())
              .put("start", (overflow || !start.isBefore(from) ? start : from).toString())
              .put("end", overflow ? shift.get("end") : (end == null || end.isAfter(to) ? to : end).toString()));
        }
      }
      finalSchedule.put("rendered_schedule_entries", rendered);
    }
    LoopbackHttp.sendJson(exchange, 200, new JSONObject().put("schedule", new JSONObject()
        .put("id", scheduleId).put("type", "schedule").put("summary", "Schedule " + scheduleId)
        .put("self", baseUrl() + "/schedules/" + scheduleId)
        .put("html_url", "https://example.pagerduty.com/schedules/" + scheduleId)
        .put("name", "Schedule " + scheduleId).put("time_zone", "Etc/UTC")
        .put("final_schedule", finalSchedule)));
  }






  private static Map<String, List<String>> copy(Headers headers) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    return copy;
  }

  @Override
  public void close() {
    LoopbackHttp.stop(server, threads);
  }


}
