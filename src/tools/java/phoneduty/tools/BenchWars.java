package phoneduty.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.stream.Stream;
import phoneduty.support.DevServer;

/**
 * The exploded wars the benchmark serves, assembled under {@code target/bench/} from the built
 * war and the compiled tool classes; the deployed war is never touched.
 *
 * <ul>
 *   <li>{@code app-war}: a copy of the app's exploded war plus {@link FloorServlet} at {@value
 *       #FLOOR_PATH} (outside the Twilio signature filter) and {@link MemcacheServlet} at {@value
 *       #MEMCACHE_PATH}, and {@link DevStateServlet} at {@value #DEV_STATE_PATH}.
 *   <li>{@code empty-war}: the same appengine-web.xml, and a web.xml holding only {@link
 *       FloorServlet} (at {@code /call} too): the cold-start baseline.
 * </ul>
 */
public final class BenchWars {

  public static final String FLOOR_PATH = "/bench/floor";
  public static final String MEMCACHE_PATH = "/bench/memcache";
  public static final String DEV_STATE_PATH = "/bench/dev-state";

  private BenchWars() {}

  /** The app's exploded war as failsafe names it, or {@code target/phoneduty-*}. */
  public static Path builtWar() {
    String dir = System.getProperty(DevServer.WEBAPP_DIR_PROPERTY);
    if (dir != null && !dir.isBlank()) {
      return Paths.get(dir).toAbsolutePath();
    }
    return Paths.get("target/phoneduty-1.0.0-SNAPSHOT").toAbsolutePath();
  }

  static Path benchDir() {
    return builtWar().getParent().resolve("bench");
  }

  /** {@code target/bench/app-war}, rebuilt from the built war each time. */
  public static Path appWar() throws IOException {
    Path out = benchDir().resolve("app-war");
    deleteTree(out);
    copyTree(builtWar(), out);
    addClass(out, FloorServlet.class);
    addClass(out, MemcacheServlet.class);
    addClass(out, DevStateServlet.class);
    Path webXml = out.resolve("WEB-INF/web.xml");
    String xml = Files.readString(webXml, StandardCharsets.UTF_8);
    int end = xml.lastIndexOf("</web-app>");
    if (end < 0) {
      throw new IllegalStateException("unexpected web.xml: " + webXml);
    }
    Files.writeString(webXml, xml.substring(0, end) + servlet("bench-floor", FloorServlet.class, FLOOR_PATH)
        + servlet("bench-memcache", MemcacheServlet.class, MEMCACHE_PATH)
        + servlet("bench-dev-state", DevStateServlet.class, DEV_STATE_PATH) + xml.substring(end),
        StandardCharsets.UTF_8);
    return out;
  }

  /** {@code target/bench/empty-war}: only the floor servlet, at {@code /call} and the floor path. */
  public static Path emptyWar() throws IOException {
    Path out = benchDir().resolve("empty-war");
    deleteTree(out);
    Files.createDirectories(out.resolve("WEB-INF"));
    Files.copy(builtWar().resolve("WEB-INF/appengine-web.xml"), out.resolve("WEB-INF/appengine-web.xml"));
    addClass(out, FloorServlet.class);
    Files.writeString(out.resolve("WEB-INF/web.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<web-app xmlns=\"http://xmlns.jcp.org/xml/ns/javaee\" version=\"3.1\" metadata-complete=\"true\">\n"
            + servlet("bench-floor", FloorServlet.class, FLOOR_PATH, "/call")
            + "</web-app>\n",
        StandardCharsets.UTF_8);
    return out;
  }

  private static String servlet(String name, Class<?> servletClass, String... paths) {
    StringBuilder xml = new StringBuilder()
        .append("  <!-- Added by the benchmark (phoneduty.tools.BenchWars); not part of the app. -->\n")
        .append("  <servlet>\n    <servlet-name>").append(name).append("</servlet-name>\n")
        .append("    <servlet-class>").append(servletClass.getName()).append("</servlet-class>\n  </servlet>\n")
        .append("  <servlet-mapping>\n    <servlet-name>").append(name).append("</servlet-name>\n");
    for (String path : paths) {
      xml.append("    <url-pattern>").append(path).append("</url-pattern>\n");
    }
    return xml.append("  </servlet-mapping>\n").toString();
  }

  private static void addClass(Path war, Class<?> tool) throws IOException {
    String file = tool.getSimpleName() + ".class";
    Path target = war.resolve("WEB-INF/classes/" + tool.getPackageName().replace('.', '/')).resolve(file);
    Files.createDirectories(target.getParent());
    try (InputStream in = tool.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException(file + " not on the class path");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
