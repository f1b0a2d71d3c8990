package phoneduty.text;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import org.junit.Test;

public class HtmlSafeTest {

  @Test
  public void markupAndQuotes_becomeCharacterReferences() {
    assertEquals("&lt;script&gt;alert(1)&lt;/script&gt;", HtmlSafe.of("<script>alert(1)</script>"));
    assertEquals("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", HtmlSafe.of("\"><img src=x onerror=alert(1)>"));
    assertEquals("it&#39;s &amp; that", HtmlSafe.of("it's & that"));
  }

  @Test
  public void charactersXmlForbids_areDropped_andNullIsEmpty() {
    assertEquals("ab", HtmlSafe.of("a\u0000b"));
    assertEquals("", HtmlSafe.of(null));
  }

  @Test
  public void plainText_isReturnedAsItIs() {
    String plain = "+14155550100 (JANE DOE, SAN FRANCISCO)";
    assertSame(plain, HtmlSafe.of(plain));
  }
}
