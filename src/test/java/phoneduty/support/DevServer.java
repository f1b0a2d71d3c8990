package phoneduty.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The app, running in the App Engine local development server (the Cloud SDK's, or the one the
 * build assembles from Maven Central under {@code target/}; see docs/build.md) in a child JVM on a
 * free loopback port.
 *
 * <pre>{@code
 * try (DevServer server = DevServer.builder()
 *         .env("TWILIO_AUTH_TOKEN", "test-token")
 *         .env("PAGERDUTY_EVENTS_BASE_URL", fakePagerDuty.baseUrl())
 *         .start()) {
 *   HttpResponse<String> r = server.get("/");
 *   ...
 * }
 * }</pre>
 *
 * <p>The child's environment is NOT inherited wholesale: it gets only a few harmless variables of
 * this JVM (PATH, HOME, LANG, ...) plus those given with {@link Builder#env}, so the app's settings
 * are exactly what the test says, whatever the developer has exported. The dev server's check that
 * {@code <env-variables>} in appengine-web.xml equal the process environment is switched off
 * ({@code appengine.disableEnvironmentCheck}); the app sees only the process environment.
 *
 * <p>The dev server's stdout and stderr go to {@link #logFile()} (under {@code
 * target/devserver-logs/}). {@link #close()} stops the process tree; a shutdown hook does the same
 * if a test forgets to.
 *
 * <p>Locations come from the system properties that failsafe sets ({@value #WEBAPP_DIR_PROPERTY},
 * {@value #SDK_DIR_PROPERTY}, {@value #LOG_DIR_PROPERTY}); outside Maven (an IDE) they default to
 * the standard places under {@code target/} of the working directory, so run {@code mvn package}
 * first. {@link Builder#webappDir} serves another war (the benchmark's copies).
 */
public final class DevServer implements AutoCloseable {

  /** Exploded war directory. Default {@code target/<finalName>} (the only war dir in target/). */
  public static final String WEBAPP_DIR_PROPERTY = "phoneduty.webapp.dir";
  /** App Engine Java SDK root (the directory holding {@code lib/appengine-tools-api.jar}). */
  public static final String SDK_DIR_PROPERTY = "phoneduty.appengine.sdk.dir";
  /** Directory for the dev server logs. */
  public static final String LOG_DIR_PROPERTY = "phoneduty.devserver.log.dir";

  static final String DEFAULT_SDK_DIR =
      "target/appengine-sdk/platform/google_appengine/google/appengine/tools/java";
  static final String DEFAULT_LOG_DIR = "target/devserver-logs";
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  /** JDK 17 strong encapsulation: the dev servers (2.0.19 and the Cloud SDK's 2.0.36) need these to start. */
  static final List<String> REQUIRED_JVM_FLAGS =
      List.of(
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
          "--add-opens=java.base/sun.net.www.protocol.https=ALL-UNNAMED");

  /** Variables of this JVM's environment that the child inherits (if set). */
  static final List<String> INHERITED_ENV =
      List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR", "JAVA_HOME");

  private static final String READY_LINE = "Dev App Server is now running";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

  private final Process process;
  private final URI baseUrl;
  private final Path logFile;
  private volatile Duration startupTime = Duration.ZERO;
  private final Thread shutdownHook;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private DevServer(Process process, int port, Path logFile) {
    this.process = process;
    this.baseUrl = URI.create("http://127.0.0.1:" + port);
    this.logFile = logFile;
    this.shutdownHook = new Thread(() -> destroyTree(process), "devserver-shutdown-" + port);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the app with these environment variables and all defaults otherwise. */
  public static DevServer start(Map<String, String> env) throws IOException {
    return builder().env(env).start();
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public URI baseUrl() {
    return baseUrl;
  }

  /** The file that receives the dev server's stdout and stderr. */
  public Path logFile() {
    return logFile;
  }

  /** Everything the dev server has logged so far. */
  public String log() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Jetty the dev server runs on, as it logged it ("jetty-12.0.20"), or "unknown". */
  public String jettyVersion() {
    java.util.regex.Matcher version = java.util.regex.Pattern.compile("\\bjetty-(\\d+\\.\\d+\\.[\\w.]+)").matcher(log());
    return version.find() ? "jetty-" + version.group(1) : "unknown";
  }

  /** From launching the JVM until the app first answered HTTP. */
  public Duration startupTime() {
    return startupTime;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The dev server process (e.g. for its pid). */
  public Process process() {
    return process;
  }

  /** A plain GET of {@code path}, body as text. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Stops the dev server and everything it started. Idempotent. */
  @Override
  public void close() {
    destroyTree(process);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook runs (or ran) anyway
    }
  }

  @Override
  public String toString() {
    return "DevServer[" + baseUrl + ", pid " + process.pid() + ", log " + logFile + "]";
  }

  private static void destroyTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>();
    process.descendants().forEach(tree::add);
    tree.add(process.toHandle());
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (ProcessHandle handle : tree) {
      long left = deadline - System.nanoTime();
      try {
        handle.onExit().get(Math.max(left, 0), TimeUnit.NANOSECONDS);
      } catch (Exception notYet) {
        handle.destroyForcibly();
      }
    }
  }

  /** Configures and starts a {@link DevServer}. */
  public static final class Builder {
    private Path webappDir;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private String readinessPath = "/";

    private Builder() {}

    /** The exploded war to serve, instead of the built one. */
    public Builder webappDir(Path dir) {
      this.webappDir = dir;
      return this;
    }

    /** An environment variable of the dev server process (so of the app). */
    public Builder env(String name, String value) {
      env.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
      return this;
    }

    public Builder env(Map<String, String> variables) {
      variables.forEach(this::env);
      return this;
    }

    /** A JVM option of the dev server process, e.g. {@code -XX:StartFlightRecording=...}. */
    public Builder jvmArg(String arg) {
      jvmArgs.add(Objects.requireNonNull(arg));
      return this;
    }

    /** The path polled until it answers (any status but 503 counts as up). Default {@code /}. */
    public Builder readinessPath(String path) {
      this.readinessPath = Objects.requireNonNull(path);
      return this;
    }

    /**
     * Starts the dev server and returns once the app answers HTTP. Fails, with the tail of the dev
     * server's log, if it exits or does not answer within 90 s ({@link #STARTUP_TIMEOUT}).
     */
    public DevServer start() throws IOException {
      Path webapp = webappDir != null ? webappDir.toAbsolutePath() : location(WEBAPP_DIR_PROPERTY, null);
      if (webapp == null) {
        webapp = findExplodedWar(Paths.get("target"));
      }
      Path sdk = location(SDK_DIR_PROPERTY, DEFAULT_SDK_DIR);
      Path logs = location(LOG_DIR_PROPERTY, DEFAULT_LOG_DIR);
      requireFile(webapp.resolve("WEB-INF/appengine-web.xml"), "exploded war (run `mvn package`)");
      Path toolsJar = sdk.resolve("lib/appengine-tools-api.jar");
      requireFile(toolsJar, "App Engine SDK (run `mvn package`)");
      Files.createDirectories(logs);

      IOException lastFailure = null;
      for (int attempt = 1; attempt <= 3; attempt++) {
        int port = freePort();
        Path logFile =
            logs.resolve("devserver-" + LocalDateTime.now().format(STAMP) + "-" + port + ".log");
        try {
          return launch(webapp, sdk, toolsJar, port, logFile);
        } catch (PortTakenException e) {
          lastFailure = e; // another process grabbed the port between probe and bind: retry
        }
      }
      throw lastFailure;
    }

    private DevServer launch(Path webapp, Path sdk, Path toolsJar, int port, Path logFile)
        throws IOException {
      List<String> command = new ArrayList<>();
      command.add(java());
      command.addAll(REQUIRED_JVM_FLAGS);
      command.add("-Dappengine.sdk.root=" + sdk);
      command.add("-Dappengine.disableEnvironmentCheck=true");
      command.add("-Dfile.encoding=UTF-8");
      command.addAll(jvmArgs);
      command.add("-cp");
      command.add(toolsJar.toString());
      command.add("com.google.appengine.tools.development.DevAppServerMain");
      command.add("--address=127.0.0.1");
      command.add("--port=" + port);
      command.add("--disable_update_check");
      command.add("--no_java_agent");
      // In-memory datastore: runs stay independent and nothing is written into the war.
      command.add("--property=datastore.no_storage=true");
      command.add(webapp.toString());

      ProcessBuilder builder = new ProcessBuilder(command);
      builder.directory(webapp.toFile());
      builder.redirectErrorStream(true);
      builder.redirectOutput(logFile.toFile());
      Map<String, String> childEnv = builder.environment();
      Map<String, String> inherited = new LinkedHashMap<>();
      for (String name : INHERITED_ENV) {
        String value = System.getenv(name);
        if (value != null) {
          inherited.put(name, value);
        }
      }
      childEnv.clear();
      childEnv.putAll(inherited);
      childEnv.putAll(env);

      Files.writeString(
          logFile,
          "# " + String.join(" ", command) + "\n# env: " + env.keySet() + "\n",
          StandardCharsets.UTF_8);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));

      long started = System.nanoTime();
      Process process = builder.start();
      DevServer server = new DevServer(process, port, logFile); // registers the shutdown hook
      try {
        awaitReady(process, port, logFile, started);
      } catch (IOException | RuntimeException | Error e) {
        server.close();
        throw e;
      }
      server.startupTime = Duration.ofNanos(System.nanoTime() - started);
      return server;
    }

    private void awaitReady(Process process, int port, Path logFile, long started)
        throws IOException {
      HttpClient client =
          HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
      URI probe = URI.create("http://127.0.0.1:" + port + readinessPath);
      long deadline = started + STARTUP_TIMEOUT.toNanos();
      while (true) {
        if (!process.isAlive()) {
          String log = tail(logFile);
          if (log.contains("BindException") || log.contains("Address already in use")) {
            throw new PortTakenException("port " + port + " was taken\n" + log);
          }
          throw new IOException(
              "dev server exited with code " + process.exitValue() + "; log " + logFile + ":\n"
                  + log);
        }
        try {
          HttpResponse<Void> response =
              client.send(
                  HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(10)).GET().build(),
                  HttpResponse.BodyHandlers.discarding());
          // Our server, not another process that answers on a reused port: it logged READY_LINE.
          if (response.statusCode() != 503 && tail(logFile).contains(READY_LINE)) {
            return;
          }
        } catch (IOException notListeningYet) {
          // keep polling
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the dev server", e);
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "dev server did not answer " + probe + " within " + STARTUP_TIMEOUT + "; log "
                  + logFile + ":\n" + tail(logFile));
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the dev server", e);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static final class PortTakenException extends IOException {
    PortTakenException(String message) {
      super(message);
    }
  }

  /** The directory a failsafe system property names, else the fallback (null: none). */
  private static Path location(String property, String fallback) {
    String value = System.getProperty(property);
    if (value != null && !value.isBlank()) {
      return Paths.get(value).toAbsolutePath();
    }
    return fallback == null ? null : Paths.get(fallback).toAbsolutePath();
  }

  private static Path findExplodedWar(Path target) throws IOException {
    if (Files.isDirectory(target)) {
      try (var dirs = Files.list(target)) {
        List<Path> wars =
            dirs.filter(d -> Files.isRegularFile(d.resolve("WEB-INF/appengine-web.xml")))
                .filter(d -> !d.getFileName().toString().endsWith("-deploy"))
                .toList();
        if (wars.size() == 1) {
          return wars.get(0).toAbsolutePath();
        }
      }
    }
    throw new IOException(
        "no exploded war found under " + target.toAbsolutePath() + ": run `mvn package`, or set -D"
            + WEBAPP_DIR_PROPERTY);
  }

  private static void requireFile(Path file, String what) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(what + " not found: " + file);
    }
  }

  /** The {@code java} of this JVM ({@code java.home}). */
  private static String java() {
    Path bin = Paths.get(System.getProperty("java.home"), "bin");
    Path java = bin.resolve("java");
    return Files.isExecutable(java) ? java.toString() : bin.resolve("java.exe").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static String tail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.ISO_8859_1);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }
}
