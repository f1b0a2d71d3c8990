package phoneduty.tools;

import com.google.appengine.api.memcache.MemcacheService;
import com.google.appengine.api.memcache.MemcacheServiceFactory;
import com.google.appengine.api.memcache.Stats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The benchmark's hand on the dev server's Memcache, through the Memcache API inside the app:
 * {@code POST} empties it (so a known line's roster must come from the Datastore) and answers its
 * counters from just before; {@code GET} answers them now (so the run can show the misses). {@link BenchWars} adds it to the
 * benchmark's copy of the war only, like {@link FloorServlet}.
 */
public final class MemcacheServlet extends HttpServlet {

  private final MemcacheService memcache = MemcacheServiceFactory.getMemcacheService();

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    answer(response, counters());
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String before = counters();
    memcache.clearAll();
    answer(response, before);
  }

  private String counters() {
    Stats stats = memcache.getStatistics();
    return stats == null ? "no statistics" : String.format(Locale.ROOT, "items=%d hits=%d misses=%d",
        stats.getItemCount(), stats.getHitCount(), stats.getMissCount());
  }

  private static void answer(HttpServletResponse response, String text) throws IOException {
    response.setContentType("text/plain; charset=UTF-8");
    response.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
  }
}
