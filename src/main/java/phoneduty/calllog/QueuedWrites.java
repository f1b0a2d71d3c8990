package phoneduty.calllog;

import com.google.appengine.api.datastore.Entity;
import com.google.appengine.api.datastore.EntityTranslator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's call-log writes as the body of one {@code call-log} task: the entities in
 * Datastore's own encoding, each prefixed with its length.
 */
final class QueuedWrites {

  /** Far above a request's few records and steps; a body beyond it is not ours. */
  static final int MAX_ENTITIES = 1_000;

  private QueuedWrites() {}

  static byte[] encode(List<Entity> entities) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(entities.size());
      for (Entity entity : entities) {
        byte[] encoded = EntityTranslator.convertToPb(entity).toByteArray();
        out.writeInt(encoded.length);
        out.write(encoded);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** @throws IllegalArgumentException when the body is not what {@link #encode} makes */
  static List<Entity> decode(byte[] body) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(body))) {
      int count = in.readInt();
      if (count < 0 || count > MAX_ENTITIES) {
        throw new IllegalArgumentException("a count of " + count + " entities");
      }
      List<Entity> entities = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
          throw new IllegalArgumentException("entity " + i + " is cut short");
        }
        entities.add(EntityTranslator.createFromPbBytes(in.readNBytes(length)));
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException(in.available() + " bytes after the last entity");
      }
      return entities;
    } catch (IOException e) {
      throw new IllegalArgumentException("cut short", e);
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw e;
      }
      throw new IllegalArgumentException("not Datastore's encoding", e);
    }
  }
}
