package phoneduty.tools;

import com.google.appengine.api.datastore.DatastoreService;
import com.google.appengine.api.datastore.DatastoreServiceFactory;
import com.google.appengine.api.datastore.Entity;
import com.google.appengine.api.datastore.FetchOptions;
import com.google.appengine.api.datastore.Key;
import com.google.appengine.api.datastore.Query;
import com.google.appengine.api.taskqueue.QueueFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import phoneduty.calllog.CallLog;
import phoneduty.delivery.EventQueue;
import phoneduty.oncall.RosterRefreshQueue;

/**
 * The benchmark's hand on the dev server's own services: {@code POST} deletes every Datastore
 * entity and purges the app's task queues, and answers how many entities there were, so that the
 * heap measured after it is the app's and the dev server's runtime, not the in-memory copies of
 * what the load wrote and queued (a deployment's Datastore and queues are in no instance's heap).
 * {@link BenchWars} adds it to the benchmark's copy of the war only.
 */
public final class DevStateServlet extends HttpServlet {

  private static final int BATCH = 500;
  private final DatastoreService datastore = DatastoreServiceFactory.getDatastoreService();

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    long deleted = 0;
    while (true) {
      List<Key> keys = new ArrayList<>();
      for (Entity entity : datastore.prepare(new Query().setKeysOnly()).asIterable(FetchOptions.Builder.withLimit(BATCH))) {
        if (!entity.getKey().getKind().startsWith("__")) {
          keys.add(entity.getKey());
        }
      }
      if (keys.isEmpty()) {
        break;
      }
      datastore.delete(keys);
      deleted += keys.size();
    }
    // A purge of a long backlog can outlast the dev server's API deadline; it goes on regardless,
    // so a few tries, each after a pause, see it through.
    List<String> unpurged = new ArrayList<>();
    for (String queue : List.of(EventQueue.QUEUE_NAME, CallLog.QUEUE_NAME, RosterRefreshQueue.QUEUE_NAME)) {
      boolean purged = false;
      for (int attempt = 1; attempt <= 5 && !purged; attempt++) {
        try {
          QueueFactory.getQueue(queue).purge();
          purged = true;
        } catch (RuntimeException e) {
          sleep(2000);
        }
      }
      if (!purged) {
        unpurged.add(queue);
      }
    }
    response.setContentType("text/plain; charset=UTF-8");
    response.getOutputStream().write(("deleted=" + deleted + (unpurged.isEmpty() ? "" : " unpurged=" + unpurged))
        .getBytes(StandardCharsets.UTF_8));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
