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
 * Checks what phoneduty writes to PagerDuty's REST API v2 against the request body schema of the
 * official OpenAPI spec (test resources, unchanged): the body of {@code POST /incidents/{id}/notes};
 * and what the fake answers where phoneduty reads more than a field or two ({@code GET /schedules/{id}}).
 */
public final class RestApiSchema {

  private static final JsonSchema NOTE_BODY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
          .getSchema(SchemaLocation.of("classpath:pagerduty/rest-v2.openapi.json"
              + "#/paths/~1incidents~1%7Bid%7D~1notes/post/requestBody/content/application~1json/schema"));

  /** What {@code GET /schedules/{id}} answers: the fake's answer must have the real one's shape. */
  private static final JsonSchema SCHEDULE_ANSWER =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
          .getSchema(SchemaLocation.of("classpath:pagerduty/rest-v2.openapi.json"
              + "#/paths/~1schedules~1%7Bid%7D/get/responses/200/content/application~1json/schema"));

  private RestApiSchema() {}

  /** Every way an answer of {@code GET /schedules/{id}} breaks the schema; empty when it is valid. */
  public static List<String> scheduleAnswerProblems(JSONObject answer) {
    List<String> problems = new ArrayList<>();
    for (ValidationMessage message : SCHEDULE_ANSWER.validate(answer.toString(), InputFormat.JSON)) {
      problems.add(message.getMessage());
    }
    return problems;
  }

  /** Every way a note body breaks the schema; empty when it is valid. */
  public static List<String> noteProblems(JSONObject body) {
    List<String> problems = new ArrayList<>();
    for (ValidationMessage message : NOTE_BODY.validate(body.toString(), InputFormat.JSON)) {
      problems.add(message.getMessage());
    }
    return problems;
  }

  public static void assertValidNote(JSONObject body) {
    List<String> problems = noteProblems(body);
    if (!problems.isEmpty()) {
      throw new AssertionError("Note body breaks the REST API v2 schema: " + problems + "\n" + body.toString(2));
    }
  }
}
