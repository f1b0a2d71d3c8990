package phoneduty.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.servlet.DispatcherType;
import javax.xml.parsers.DocumentBuilderFactory;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The filters and servlets of the app's own web.xml, with their mappings, so that tests serve
 * exactly what the container serves without repeating a path. (Listeners and security
 * constraints are left to the dev-server tests: the fixture wires the app itself.)
 */
final class WebXml {

  private final Map<String, String> filterClasses = new LinkedHashMap<>();
  private final Map<String, String> servletClasses = new LinkedHashMap<>();
  private final List<String[]> filterMappings = new ArrayList<>();
  private final List<String[]> servletMappings = new ArrayList<>();

  static WebXml read(Path path) throws Exception {
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(path.toFile());
    WebXml web = new WebXml();
    for (Element filter : elements(doc, "filter")) {
      web.filterClasses.put(text(filter, "filter-name"), text(filter, "filter-class"));
    }
    for (Element servlet : elements(doc, "servlet")) {
      web.servletClasses.put(text(servlet, "servlet-name"), text(servlet, "servlet-class"));
    }
    for (Element mapping : elements(doc, "filter-mapping")) {
      web.filterMappings.add(new String[] {text(mapping, "filter-name"), text(mapping, "url-pattern")});
    }
    for (Element mapping : elements(doc, "servlet-mapping")) {
      web.servletMappings.add(new String[] {text(mapping, "servlet-name"), text(mapping, "url-pattern")});
    }
    return web;
  }

  /** Adds one instance of each filter and servlet, made by its no-argument constructor, at each of its paths. */
  void installInto(ServletContextHandler context) throws ReflectiveOperationException {
    Map<String, FilterHolder> filters = new LinkedHashMap<>();
    for (Map.Entry<String, String> filter : filterClasses.entrySet()) {
      filters.put(filter.getKey(), new FilterHolder((javax.servlet.Filter) newInstance(filter.getValue())));
    }
    for (String[] mapping : filterMappings) {
      context.addFilter(filters.get(mapping[0]), mapping[1], EnumSet.of(DispatcherType.REQUEST));
    }
    Map<String, ServletHolder> servlets = new LinkedHashMap<>();
    for (Map.Entry<String, String> servlet : servletClasses.entrySet()) {
      servlets.put(servlet.getKey(), new ServletHolder((javax.servlet.Servlet) newInstance(servlet.getValue())));
    }
    for (String[] mapping : servletMappings) {
      context.addServlet(servlets.get(mapping[0]), mapping[1]);
    }
  }

  private static Object newInstance(String className) throws ReflectiveOperationException {
    return Class.forName(className).getDeclaredConstructor().newInstance();
  }

  private static List<Element> elements(Document doc, String tag) {
    NodeList nodes = doc.getElementsByTagName(tag);
    List<Element> found = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      found.add((Element) nodes.item(i));
    }
    return found;
  }

  private static String text(Element parent, String tag) {
    return parent.getElementsByTagName(tag).item(0).getTextContent().trim();
  }
}
