package phoneduty.console;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import org.junit.Rule;
import org.junit.Test;
import phoneduty.support.AppFixture;

/** {@code /admin/lines/new}: the exact webhook URL for this deployment, checked as phoneduty checks it. */
public class LineBuilderTest {

  @Rule public final AppFixture app = new AppFixture();

  private static final String KEY = AppFixture.SERVICE_KEY;

  private String page(String query) throws Exception {
    HttpResponse<String> response = app.browse("/admin/lines/new" + query);
    assertTrue(response.body(), response.statusCode() == 200);
    return response.body();
  }

  @Test
  public void builder_withoutAnswers_showsTheForm() throws Exception {
    String html = page("");
    assertTrue(html.contains("<form method=\"get\" action=\"/admin/lines/new\""));
    assertFalse(html.contains("webhook-url"));
  }

  @Test
  public void voicemail_givesTheCallUrlOfThisDeployment() throws Exception {
    String html = page("?type=voicemail&service_key=" + KEY + "&greeting=Leave+a+message&severity=error");
    assertTrue(html, html.contains("id=\"webhook-url\">" + app.baseUrl() + "/call?service_key=" + KEY
        + "&amp;greeting=Leave+a+message&amp;severity=error</code>"));
  }

  @Test
  public void forwarding_givesTheForwardUrlWithPolicyKeyAndOptions() throws Exception {
    String html = page("?type=forward&service_key=" + KEY + "&escalation_policy=PABC123&ring_seconds=25"
        + "&caller_id=number");
    assertTrue(html, html.contains(app.baseUrl() + "/forward?escalation_policy=PABC123&amp;service_key=" + KEY
        + "&amp;ring_seconds=25&amp;caller_id=number</code>"));
  }

  @Test
  public void sms_givesTheSmsUrlWithTheReply() throws Exception {
    String html = page("?type=sms&service_key=" + KEY + "&reply=Paged.");
    assertTrue(html, html.contains(app.baseUrl() + "/sms?service_key=" + KEY + "&amp;reply=Paged.</code>"));
  }

  @Test
  public void malformedKeyPolicyAndSeverity_areRefusedWithReasonsAndNoUrl() throws Exception {
    String html = page("?type=forward&service_key=short&escalation_policy=pabc-123&severity=loud");
    assertFalse(html.contains("webhook-url"));
    assertTrue(html, html.contains("Service_key is malformed (expected the 32-character Events API v2 integration key,"
        + " got 5 characters)."));
    assertTrue(html, html.contains("Escalation policy id “pabc-123” is not a PagerDuty id"));
    assertTrue(html, html.contains("Severity “loud” is not one of critical"));
  }

  @Test
  public void hostileAnswers_comeBackEscapedInTheForm() throws Exception {
    String html = page("?type=voicemail&service_key=x&greeting=%22%3E%3Cscript%3Ealert(1)%3C/script%3E");
    assertFalse(html, html.contains("<script"));
    assertTrue(html, html.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
  }
}
