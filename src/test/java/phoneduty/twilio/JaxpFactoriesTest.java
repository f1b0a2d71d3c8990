package phoneduty.twilio;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.Test;
import org.w3c.dom.Document;

/**
 * appengine-web.xml names the JAXP factories Twilio's {@code TwiML.toXml()} asks for on every
 * answer, so the lookup skips its class-path scan. It must name exactly what the lookup would find
 * anyway, the JDK's own implementations, or TwiML would be written by another library.
 */
public class JaxpFactoriesTest {

  private static String property(String name) throws Exception {
    Document config = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
        .parse(Files.newInputStream(Path.of("src/main/webapp/WEB-INF/appengine-web.xml")));
    return XPathFactory.newDefaultInstance().newXPath().evaluate(
        "//*[local-name()='system-properties']/*[local-name()='property'][@name='" + name + "']/@value", config);
  }

  @Test
  public void appengineWebXml_namesTheJdksOwnDomBuilderFactory() throws Exception {
    assertEquals(DocumentBuilderFactory.newDefaultInstance().getClass().getName(),
        property(DocumentBuilderFactory.class.getName()));
  }

  @Test
  public void appengineWebXml_namesTheJdksOwnTransformerFactory() throws Exception {
    assertEquals(TransformerFactory.newDefaultInstance().getClass().getName(),
        property(TransformerFactory.class.getName()));
  }

  @Test
  public void twiml_isTheSameWithTheNamedFactories() throws Exception {
    String before = Twiml.hangUp();
    System.setProperty(DocumentBuilderFactory.class.getName(), property(DocumentBuilderFactory.class.getName()));
    System.setProperty(TransformerFactory.class.getName(), property(TransformerFactory.class.getName()));
    try {
      assertEquals(before, Twiml.hangUp());
    } finally {
      System.clearProperty(DocumentBuilderFactory.class.getName());
      System.clearProperty(TransformerFactory.class.getName());
    }
  }
}
