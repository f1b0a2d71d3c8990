package phoneduty;

import com.google.appengine.api.datastore.DatastoreService;
import com.google.appengine.api.datastore.DatastoreServiceFactory;
import com.google.appengine.api.memcache.MemcacheService;
import com.google.appengine.api.memcache.MemcacheServiceFactory;
import com.google.appengine.api.taskqueue.QueueFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import javax.servlet.ServletContext;
import phoneduty.abuse.Blocklist;
import phoneduty.abuse.Folding;
import phoneduty.abuse.Screening;
import phoneduty.callback.ResponderDesk;
import phoneduty.callback.Responders;
import phoneduty.callback.TextRelay;
import phoneduty.calllog.CallLog;
import phoneduty.calllog.CallLogReader;
import phoneduty.calllog.CallLogRetention;
import phoneduty.console.Console;
import phoneduty.console.CsrfGuard;
import phoneduty.console.TestPager;
import phoneduty.delivery.DeliveryClaims;
import phoneduty.delivery.DeliveryTask;
import phoneduty.delivery.EventQueue;
import phoneduty.forwarding.Forwarding;
import phoneduty.menu.Menus;
import phoneduty.oncall.OnCallCache;
import phoneduty.oncall.OnCallDirectory;
import phoneduty.oncall.PhoneNumbers;
import phoneduty.oncall.RosterFetcher;
import phoneduty.oncall.RosterRefresh;
import phoneduty.oncall.RosterRefreshQueue;
import phoneduty.oncall.RosterStore;
import phoneduty.pagerduty.EventsClient;
import phoneduty.pagerduty.IncidentNotes;
import phoneduty.pagerduty.RestApiClient;
import phoneduty.shortlink.RecordingProxy;
import phoneduty.shortlink.ShortLinks;
import phoneduty.sms.SmsPager;
import phoneduty.transcript.NoteQueue;
import phoneduty.transcript.NoteTask;
import phoneduty.transcript.Transcripts;
import phoneduty.twilio.PublicUrl;
import phoneduty.twilio.SignatureCheck;
import phoneduty.twilio.TwilioMediaClient;
import phoneduty.voicemail.Voicemail;

/**
 * The app's object graph, built once from the settings when the app starts ({@link AppStartup})
 * and kept in the servlet context, where each servlet and the filter take their collaborator.
 * Tests build the same graph with settings that point at their fakes.
 */
public record App(PublicUrl publicUrl, SignatureCheck signatureCheck, Voicemail voicemail,
    SmsPager smsPager, Forwarding forwarding, ShortLinks shortLinks, DeliveryTask deliveryTask,
    RosterRefresh rosterRefresh, Menus menus, CallLog callLog, CallLogRetention callLogRetention, Console console,
    Transcripts transcripts, NoteTask noteTask, Screening screening, TextRelay textRelay,
    Optional<RecordingProxy> recordingProxy) {

  static final String CONTEXT_ATTRIBUTE = App.class.getName();

  /**
   * Wires the app over App Engine's Datastore, Memcache and Task Queue.
   *
   * @param localDevServer whether this is the local dev server, which accepts unsigned webhooks
   *     when no Twilio auth token is set
   */
  public static App wire(Settings settings, Clock clock, boolean localDevServer) {
    MemcacheService memcache = MemcacheServiceFactory.getMemcacheService();
    DatastoreService datastore = DatastoreServiceFactory.getDatastoreService();
    PublicUrl publicUrl = new PublicUrl(settings.publicBaseUrl());
    ShortLinks shortLinks = new ShortLinks(datastore, new SecureRandom(), clock, settings.linkTtl());
    // Private recordings: with the account SID, /r/CODE serves the audio itself instead of redirecting.
    Optional<RecordingProxy> recordingProxy = settings.twilioAccountSid().map(sid -> new RecordingProxy(
        new TwilioMediaClient(sid, settings.twilioAuthToken().orElseThrow(), settings.twilioApiBaseUrl(),
            settings.twilioReadTimeout())));
    CallLog callLog = new CallLog(QueueFactory.getQueue(CallLog.QUEUE_NAME), datastore, clock);
    CallLogReader callLogReader = new CallLogReader(datastore);

    Folding folding = new Folding(memcache, settings.repeatWindow(), settings.linePageLimit(), clock);

    EventsClient events = new EventsClient(
        settings.pagerDutyEventsBaseUrl(), settings.connectTimeout(), settings.eventsReadTimeout());
    EventQueue queue = new EventQueue(QueueFactory.getQueue(EventQueue.QUEUE_NAME), events, shortLinks, callLog);
    DeliveryClaims claims = new DeliveryClaims(memcache);
    DeliveryTask delivery = new DeliveryTask(events, shortLinks, claims, callLog, folding);

    RestApiClient restApi = new RestApiClient(settings.pagerDutyApiToken(), settings.pagerDutyApiBaseUrl(),
        settings.connectTimeout(), settings.apiReadTimeout(), memcache, clock);
    OnCallCache onCallCache = new OnCallCache(memcache, MemcacheServiceFactory.getAsyncMemcacheService(), clock);
    RosterFetcher fetcher = new RosterFetcher(restApi, onCallCache, new PhoneNumbers(settings.blockedDialPrefixes()), clock);
    RosterStore rosters = new RosterStore(datastore, DatastoreServiceFactory.getAsyncDatastoreService());
    RosterRefreshQueue refreshQueue = new RosterRefreshQueue(QueueFactory.getQueue(RosterRefreshQueue.QUEUE_NAME), clock);
    OnCallDirectory directory = new OnCallDirectory(fetcher, onCallCache, rosters, refreshQueue,
        new OnCallDirectory.Freshness(settings.onCallCacheTtl(), settings.rosterMaxStale()),
        OnCallDirectory.DEFAULT_TOTAL_BUDGET, clock);

    // The console shows the rosters the calls ring, as the directory holds them.
    Console console = new Console(callLogReader, directory, new TestPager(queue, callLog, callLogReader, clock),
        new CsrfGuard(CsrfGuard.datastoreSecret(datastore, new SecureRandom()), clock), clock);
    Responders responders = new Responders(settings.responderNumbers(), directory);
    // Notes need both the token and a user to write them as; otherwise transcripts go as events.
    Optional<IncidentNotes> notes = settings.pagerDutyUserEmail().filter(email -> restApi.hasToken())
        .map(email -> new IncidentNotes(restApi, email));
    Transcripts transcripts = new Transcripts(queue,
        notes.map(n -> new NoteQueue(QueueFactory.getQueue(EventQueue.QUEUE_NAME), queue)), callLog, folding, clock);

    return new App(publicUrl, new SignatureCheck(settings.twilioAuthToken(), publicUrl, localDevServer),
        new Voicemail(queue, shortLinks, callLog, clock), new SmsPager(queue, callLog, clock),
        new Forwarding(directory, queue, callLog, clock), shortLinks, delivery,
        new RosterRefresh(fetcher, rosters, onCallCache, refreshQueue, clock), new Menus(), callLog,
        new CallLogRetention(datastore, settings.callLogRetention(), clock), console,
        transcripts, new NoteTask(notes, claims, queue, clock),
        new Screening(new Blocklist(settings.blockedNumbers()),
            new ResponderDesk(responders, callLogReader, callLog, queue, settings.responderPin(), clock), callLog),
        new TextRelay(responders, callLogReader, callLog, queue, memcache, settings.responderPin(), clock),
        recordingProxy);
  }

  /** Makes this graph the one the servlets of this context take their collaborators from. */
  public void attachTo(ServletContext context) {
    context.setAttribute(CONTEXT_ATTRIBUTE, this);
  }

  /** The graph attached to this context. */
  public static App of(ServletContext context) {
    Object app = context.getAttribute(CONTEXT_ATTRIBUTE);
    if (!(app instanceof App)) {
      throw new IllegalStateException("phoneduty is not wired: " + AppStartup.class.getSimpleName()
          + " did not run (see its log lines)");
    }
    return (App) app;
  }
}
