package phoneduty.support;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;
import org.json.JSONObject;

/**
 * Checks an event against PagerDuty's official Events API v2 OpenAPI schema (copied unchanged
 * from shared/specs into test resources) and the limits PagerDuty documents beside it.
 */
public final class EventsApiSchema {

  private static final JsonSchema ENQUEUE_BODY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
          .getSchema(SchemaLocation.of("classpath:pagerduty/events-v2.openapi.json"
              + "#/paths/~1enqueue/post/requestBody/content/application~1json/schema"));

  private static final JsonSchema CHANGE_BODY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
          .getSchema(SchemaLocation.of("classpath:pagerduty/events-v2.openapi.json"
              + "#/paths/~1change~1enqueue/post/requestBody/content/application~1json/schema"));

  private EventsApiSchema() {}

  /** Every way a change event breaks the schema or a documented limit; empty when it is valid. */
  public static List<String> changeProblems(JSONObject event) {
    List<String> problems = new ArrayList<>();
    for (ValidationMessage message : CHANGE_BODY.validate(event.toString(), InputFormat.JSON)) {
      problems.add(message.getMessage());
    }
    if (event.optString("routing_key").length() != 32) {
      problems.add("routing_key must be 32 characters");
    }
    for (String field : List.of("event_action", "dedup_key")) {
      if (event.has(field)) {
        problems.add("a change event has no " + field);
      }
    }
    JSONObject payload = event.optJSONObject("payload");
    if (payload != null && payload.optString("summary").length() > 1024) {
      problems.add("payload.summary longer than 1024 characters");
    }
    return problems;
  }

  public static void assertValidChange(JSONObject event) {
    List<String> problems = changeProblems(event);
    if (!problems.isEmpty()) {
      throw new AssertionError("Change event breaks the Events API v2 schema: " + problems + "\n" + event.toString(2));
    }
  }

  /** Every way the event breaks the schema or a documented limit; empty when it is valid. */
  public static List<String> problems(JSONObject event) {
    List<String> problems = new ArrayList<>();
    for (ValidationMessage message : ENQUEUE_BODY.validate(event.toString(), InputFormat.JSON)) {
      problems.add(message.getMessage());
    }
    // Documented in PagerDuty's Events API v2 guide, not encoded in the schema.
    String routingKey = event.optString("routing_key");
    if (routingKey.length() != 32) {
      problems.add("routing_key must be 32 characters");
    }
    if (event.optString("dedup_key").length() > 255) {
      problems.add("dedup_key longer than 255 characters");
    }
    if ("trigger".equals(event.optString("event_action"))) {
      JSONObject payload = event.optJSONObject("payload");
      if (payload == null) {
        problems.add("a trigger needs a payload");
      } else if (payload.optString("summary").length() > 1024) {
        problems.add("payload.summary longer than 1024 characters");
      }
    }
    return problems;
  }

  public static void assertValid(JSONObject event) {
    List<String> problems = problems(event);
    if (!problems.isEmpty()) {
      throw new AssertionError("Event breaks the Events API v2 schema: " + problems + "\n" + event.toString(2));
    }
  }
}
