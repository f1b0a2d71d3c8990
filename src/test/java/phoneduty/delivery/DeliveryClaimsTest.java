package phoneduty.delivery;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.appengine.api.memcache.MemcacheService;
import com.google.appengine.api.memcache.MemcacheServiceException;
import com.google.appengine.api.memcache.MemcacheServiceFactory;
import com.google.appengine.tools.development.testing.LocalMemcacheServiceTestConfig;
import com.google.appengine.tools.development.testing.LocalServiceTestHelper;
import java.lang.reflect.Proxy;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import phoneduty.support.LogCapture;

public class DeliveryClaimsTest {

  private final LocalServiceTestHelper services = new LocalServiceTestHelper(new LocalMemcacheServiceTestConfig());
  private DeliveryClaims claims;

  @Before
  public void setUp() {
    services.setUp();
    claims = new DeliveryClaims(MemcacheServiceFactory.getMemcacheService());
  }

  @After
  public void tearDown() {
    services.tearDown();
  }

  @Test
  public void firstCopy_claimsTheEvent_andKeepsItForItsRetries() {
    assertTrue(claims.claim("sms-trigger-SM1", "copy-a"));
    assertTrue("a retry of the same task", claims.claim("sms-trigger-SM1", "copy-a"));
  }

  @Test
  public void secondCopy_ofAClaimedEvent_standsDown() {
    assertTrue(claims.claim("sms-trigger-SM1", "copy-a"));
    assertFalse(claims.claim("sms-trigger-SM1", "copy-b"));
  }

  @Test
  public void otherEvents_ofTheSameCall_areClaimedApart() {
    // The call's trigger on arrival and its voicemail share a dedup key but are two deliveries.
    assertTrue(claims.claim("forward-trigger-CA1", "copy-a"));
    assertTrue(claims.claim("voicemail-trigger-CA1", "copy-b"));
  }

  @Test
  public void whenMemcacheFails_everyCopyDelivers() {
    MemcacheService broken = (MemcacheService) Proxy.newProxyInstance(MemcacheService.class.getClassLoader(),
        new Class<?>[] {MemcacheService.class}, (proxy, method, args) -> {
          throw new MemcacheServiceException("memcache down");
        });
    try (LogCapture log = LogCapture.of(DeliveryClaims.class)) {
      assertTrue(new DeliveryClaims(broken).claim("sms-trigger-SM1", "copy-a"));
      assertTrue(new DeliveryClaims(broken).claim("sms-trigger-SM1", "copy-b"));
      assertTrue(log.text(), log.text().contains("without a claim"));
    }
  }
}
