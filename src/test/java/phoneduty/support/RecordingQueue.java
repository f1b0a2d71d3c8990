package phoneduty.support;

import com.google.appengine.api.taskqueue.Queue;
import com.google.appengine.api.taskqueue.TaskOptions;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * A Task Queue that only records the tasks added to it, at once and in order, for tests of what a
 * class queues without App Engine's asynchronous adds in between. Any other call fails the test.
 */
public final class RecordingQueue {

  private final List<TaskOptions> added = new ArrayList<>();
  private final Queue queue = (Queue) Proxy.newProxyInstance(Queue.class.getClassLoader(), new Class<?>[] {Queue.class},
      (proxy, method, arguments) -> {
        switch (method.getName()) {
          case "add", "addAsync" -> {
            if (arguments == null || arguments.length != 1 || !(arguments[0] instanceof TaskOptions task)) {
              throw new UnsupportedOperationException("RecordingQueue records single TaskOptions adds only");
            }
            synchronized (added) {
              added.add(new TaskOptions(task));
            }
            return null;
          }
          case "getQueueName" -> {
            return "recording";
          }
          default -> throw new UnsupportedOperationException("RecordingQueue does not do " + method.getName());
        }
      });

  public Queue queue() {
    return queue;
  }

  /** Every task added so far, in order. */
  public List<TaskOptions> added() {
    synchronized (added) {
      return List.copyOf(added);
    }
  }
}
