package phoneduty.calllog;

import com.google.appengine.api.datastore.DatastoreService;
import com.google.appengine.api.datastore.Entity;
import com.google.appengine.api.datastore.EntityNotFoundException;
import com.google.appengine.api.datastore.Key;
import com.google.appengine.api.datastore.Transaction;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The call log's Datastore writes, made by tasks (never while Twilio waits): a webhook's queued
 * records and steps, and each delivery attempt's change to a record. Both may reach a record first,
 * so each keeps what the other wrote: the webhook owns what the call was, the delivery task its page.
 */
final class CallRecords {

  private static final int TRANSACTION_ATTEMPTS = 3;
  /** The properties of a record that belong to its page, kept when the webhook's record lands late. */
  private static final List<String> PAGE_PROPERTIES = List.of(Entities.PAGE, "pageAttempts", "pageAnswer", "pageUpdatedAt");

  private final DatastoreService datastore;

  CallRecords(DatastoreService datastore) {
    this.datastore = datastore;
  }

  /**
   * Writes a webhook's records and steps, each call's in one transaction (a record and its steps
   * are one entity group). Writing them again (a task's retry) changes nothing: the steps have
   * names of their own, and a record already there keeps its page.
   */
  void writeQueued(List<Entity> entities) {
    Map<Key, List<Entity>> byCall = new LinkedHashMap<>();
    List<Entity> lines = new ArrayList<>();
    for (Entity entity : entities) {
      Key root = entity.getKey().getParent() == null ? entity.getKey() : entity.getKey().getParent();
      if (root.getKind().equals(Entities.CALL)) {
        byCall.computeIfAbsent(root, key -> new ArrayList<>()).add(entity);
      } else {
        lines.add(entity);
      }
    }
    for (Map.Entry<Key, List<Entity>> call : byCall.entrySet()) {
      inTransaction(transaction -> {
        List<Entity> writes = new ArrayList<>(call.getValue());
        for (Entity record : writes) {
          if (record.getKey().equals(call.getKey())) {
            keepPage(transaction, record);
          }
        }
        datastore.put(transaction, writes);
      });
    }
    if (!lines.isEmpty()) {
      datastore.put(lines);
    }
  }

  /**
   * Reads the record (or makes it when the log has none yet), changes it, adds the steps; and
   * outside the transaction (another entity group) notes the line as seen when the record is new.
   *
   * @param queuedSteps written only if the first of them is not there yet (a retry wrote them)
   */
  void update(Key key, Supplier<Entity> missing, Consumer<Entity> change, List<Entity> queuedSteps,
      Entity attemptStep, Entity lineSeen) {
    boolean[] created = {false};
    inTransaction(transaction -> {
      Entity call;
      try {
        call = datastore.get(transaction, key);
        created[0] = false;
      } catch (EntityNotFoundException e) {
        call = missing.get();
        created[0] = true;
      }
      change.accept(call);
      List<Entity> writes = new ArrayList<>();
      writes.add(call);
      if (!queuedSteps.isEmpty() && datastore.get(transaction, List.of(queuedSteps.get(0).getKey())).isEmpty()) {
        writes.addAll(queuedSteps);
      }
      writes.add(attemptStep);
      datastore.put(transaction, writes);
    });
    if (created[0]) {
      datastore.put(lineSeen);
    }
  }

  void put(List<Entity> entities) {
    datastore.put(entities);
  }

  /** A record the delivery task wrote first has the page's state: the webhook's record keeps it. */
  private void keepPage(Transaction transaction, Entity record) {
    try {
      Entity existing = datastore.get(transaction, record.getKey());
      for (String name : PAGE_PROPERTIES) {
        if (existing.hasProperty(name)) {
          if (existing.isUnindexedProperty(name)) {
            record.setUnindexedProperty(name, existing.getProperty(name));
          } else {
            record.setIndexedProperty(name, existing.getProperty(name));
          }
        }
      }
    } catch (EntityNotFoundException e) {
      // The usual case: the webhook's record comes first.
    }
  }

  private interface Work {
    void run(Transaction transaction);
  }

  private void inTransaction(Work work) {
    for (int attempt = 1; ; attempt++) {
      Transaction transaction = datastore.beginTransaction();
      try {
        work.run(transaction);
        transaction.commit();
        return;
      } catch (ConcurrentModificationException e) {
        if (attempt >= TRANSACTION_ATTEMPTS) {
          throw e;
        }
      } finally {
        if (transaction.isActive()) {
          transaction.rollback();
        }
      }
    }
  }
}
