package phoneduty.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory of another JVM on this machine: RSS from /proc, heap from {@code jcmd}. */
public final class ProcessMemory {

  private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");

  private ProcessMemory() {}

  /** VmRSS from {@code /proc/<pid>/status}, in MB; NaN where there is no /proc. */
  public static double rssMb(long pid) {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return Double.NaN;
  }

  /** {@code jcmd <pid> GC.heap_info}: {committed MB, used MB}. */
  public static double[] heapMb(long pid) throws IOException, InterruptedException {
    String out = jcmd(pid, "GC.heap_info");
    Matcher m = HEAP.matcher(out);
    if (!m.find()) {
      throw new IOException("unexpected GC.heap_info output:\n" + out);
    }
    return new double[] {Long.parseLong(m.group(1)) / 1024.0, Long.parseLong(m.group(2)) / 1024.0};
  }

  /** {@code jcmd <pid> GC.run}: a full collection. */
  public static void fullGc(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
  }

  /** {@code jcmd <pid> GC.class_histogram}: the live objects by class, largest first. */
  public static String classHistogram(long pid) throws IOException, InterruptedException {
    return jcmd(pid, "GC.class_histogram");
  }

  static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
    Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
        .redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("jcmd " + pid + " " + command + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8);
  }
}
