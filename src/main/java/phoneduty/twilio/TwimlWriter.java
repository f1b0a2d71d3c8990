package phoneduty.twilio;

import com.twilio.twiml.TwiML;
import java.io.StringWriter;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;

/**
 * Serialises TwiML exactly as Twilio's {@link TwiML#toXml()} does (the same DOM, built by the same
 * builders' {@code buildXmlElement}, and the same JDK transformer settings), but with a document
 * builder and a transformer kept per thread.
 *
 * <p>Why: {@code toXml()} looks up and creates a new {@code DocumentBuilderFactory}, document
 * builder, {@code TransformerFactory} and transformer on every call. In the benchmark that was over
 * half of the cost of each {@code <Dial>} answer, which holds the call's id and so cannot be
 * cached. All escaping is still the DOM serialiser's; {@code TwimlWriterTest} pins the output to
 * {@code toXml()}'s.
 *
 * <p>It extends {@link TwiML} only to reach the protected {@code buildXmlElement} of the document
 * it wraps: an instance is a throwaway root whose one child is the document to write.
 */
final class TwimlWriter extends TwiML {

  private static final ThreadLocal<DocumentBuilder> DOCUMENTS = ThreadLocal.withInitial(TwimlWriter::newDocumentBuilder);
  private static final ThreadLocal<Transformer> TRANSFORMERS = ThreadLocal.withInitial(TwimlWriter::newTransformer);

  private TwimlWriter(TwiML document) {
    super("wrapper", new Wrapping(document));
  }

  /** The builder of the throwaway root: its one child is the document. */
  private static final class Wrapping extends TwiML.Builder<Wrapping> {
    Wrapping(TwiML document) {
      children.add(document);
    }
  }

  static String write(TwiML twiml) throws TransformerException {
    Document document = DOCUMENTS.get().newDocument();
    document.setXmlStandalone(true);
    document.appendChild(new TwimlWriter(twiml).buildXmlElement(document).getFirstChild());
    StringWriter out = new StringWriter(256);
    try {
      TRANSFORMERS.get().transform(new DOMSource(document), new StreamResult(out));
    } catch (TransformerException | RuntimeException e) {
      TRANSFORMERS.remove(); // a transformer that failed half-way is not reused
      throw e;
    }
    return out.toString().trim();
  }

  private static DocumentBuilder newDocumentBuilder() {
    try {
      return DocumentBuilderFactory.newInstance().newDocumentBuilder();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("No XML document builder", e);
    }
  }

  private static Transformer newTransformer() {
    TransformerFactory factory = TransformerFactory.newInstance();
    try {
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
    } catch (IllegalArgumentException e) {
      // As toXml(): a factory without these attributes still serialises.
    }
    try {
      Transformer transformer = factory.newTransformer();
      transformer.setOutputProperty(OutputKeys.INDENT, "no");
      return transformer;
    } catch (TransformerConfigurationException e) {
      throw new IllegalStateException("No XML transformer", e);
    }
  }
}
