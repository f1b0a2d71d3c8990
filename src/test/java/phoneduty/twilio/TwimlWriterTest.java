package phoneduty.twilio;

import static org.junit.Assert.assertEquals;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiML;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.messaging.Message;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Record;
import com.twilio.twiml.voice.Say;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.Test;

public class TwimlWriterTest {

  private static final String HOSTILE = "<Hangup/> & \"quotes\" 'apostrophes' ]]> \u00e9\u00e8 \u4f60\u597d \ud83d\udcde";

  private static List<TwiML> documents() {
    List<TwiML> documents = new ArrayList<>();
    documents.add(new VoiceResponse.Builder().build());
    documents.add(new VoiceResponse.Builder().say(new Say.Builder(HOSTILE).build())
        .hangup(new Hangup.Builder().build()).build());
    documents.add(new VoiceResponse.Builder()
        .say(new Say.Builder("Please hold.").build())
        .dial(new Dial.Builder()
            .action("/forward/next?call=CA0123&caller=%2B14155550100&line=a&b")
            .method(HttpMethod.POST)
            .timeout(20)
            .callerId("+14155550100")
            .number(new Number.Builder("+14155550001").url("/forward/whisper?call=CA0123&x=\"<>\"")
                .method(HttpMethod.POST).build())
            .build())
        .build());
    documents.add(new VoiceResponse.Builder()
        .gather(new Gather.Builder().numDigits(1).timeout(8).action("/forward/accept?a=1&b=2")
            .method(HttpMethod.POST).say(new Say.Builder(HOSTILE).build()).build())
        .record(new Record.Builder().action("/record?service_key=abc&severity=error").maxLength(300).build())
        .build());
    documents.add(new MessagingResponse.Builder().message(new Message.Builder(HOSTILE).build()).build());
    return documents;
  }

  @Test
  public void write_givesExactlyWhatTwilioToXmlGives() throws Exception {
    for (TwiML document : documents()) {
      assertEquals(document.toXml(), TwimlWriter.write(document));
      assertEquals("written twice on one thread", document.toXml(), TwimlWriter.write(document));
    }
  }

  @Test
  public void write_fromManyThreadsAtOnce_givesEachItsOwnDocument() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        String number = String.format("+1415555%04d", i);
        results.add(pool.submit(() -> {
          TwiML document = new VoiceResponse.Builder()
              .dial(new Dial.Builder().number(new Number.Builder(number).url("/w?n=" + number).build()).build())
              .build();
          assertEquals(document.toXml(), TwimlWriter.write(document));
          return null;
        }));
      }
      for (Future<?> result : results) {
        result.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
