package phoneduty.support;

import java.io.StringReader;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** A TwiML answer parsed as XML (so a test fails on anything that is not well-formed), read by XPath. */
public final class Xml {

  private final Document document;

  private Xml(Document document) {
    this.document = document;
  }

  public static Xml parse(String text) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return new Xml(factory.newDocumentBuilder().parse(new InputSource(new StringReader(text))));
    } catch (Exception e) {
      throw new AssertionError("Not well-formed XML: " + e.getMessage() + "\n" + text, e);
    }
  }

  public String text(String xpath) {
    try {
      return (String) XPathFactory.newInstance().newXPath().evaluate(xpath, document, XPathConstants.STRING);
    } catch (Exception e) {
      throw new AssertionError("Bad XPath " + xpath, e);
    }
  }

  public int count(String xpath) {
    try {
      return ((NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, document, XPathConstants.NODESET))
          .getLength();
    } catch (Exception e) {
      throw new AssertionError("Bad XPath " + xpath, e);
    }
  }
}
