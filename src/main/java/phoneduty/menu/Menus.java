package phoneduty.menu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.logging.Logger;
import phoneduty.pagerduty.RoutingKey;
import phoneduty.text.LogSafe;
import phoneduty.text.Text;
import phoneduty.twilio.Greeting;
import phoneduty.twilio.Sentence;
import phoneduty.twilio.Speech;
import phoneduty.twilio.Twiml;
import phoneduty.twilio.Webhook;
import phoneduty.voicemail.Voicemail;

/**
 * {@code /menu}: one number for several teams. The caller hears the greeting and "For LABEL,
 * press N." for each option, and the key sends the call on to that option's own webhook ({@code
 * /call?…} or {@code /forward?…}) with a {@code <Redirect>}, which Twilio signs like any request.
 *
 * <p>A key that is no option hears "That is not an option." and the menu again. A caller who
 * presses nothing hears the menu again, and after {@value #SILENT_ROUNDS} rounds goes to the
 * {@code default} option: a caller who stays silent is never hung up on. The menu's own URL
 * parameters ride along in the choice URL, so no state lives on the server.
 */
public final class Menus {

  public static final String PATH = "/menu";
  static final String CHOICE_PATH = PATH + "/choice";
  static final int SILENT_ROUNDS = 3;
  /** Wrong keys after which the caller goes to the default option too. */
  static final int MAX_ROUNDS = 6;
  /** The menu's own parameters, carried from {@code /menu} to {@code /menu/choice}. */
  private static final List<String> CARRIED = List.of("greeting", "greeting_audio", "option1", "option2", "option3",
      "option4", "option5", "option6", "option7", "option8", "option9", "default", "speech", "voice", "language");
  private static final Logger log = Logger.getLogger(Menus.class.getName());

  /** A menu as its URL sets it up: the options that can be offered, and why others cannot. */
  private record Setup(SortedMap<Integer, MenuOption> options, List<String> refused, Optional<RoutingKey> anyKey,
      int defaultKey, boolean speech) {}

  /** {@code /menu}: a call arrives. */
  public String start(Webhook call) {
    Setup setup = setup(call, true);
    if (setup.options().isEmpty()) {
      return misconfigured(call, setup);
    }
    return menu(call, setup, 1, Optional.empty());
  }

  /** {@code /menu/choice}: what the caller pressed or said, or nothing. */
  public String choice(Webhook call) {
    Setup setup = setup(call, false);
    if (setup.options().isEmpty()) {
      return misconfigured(call, setup);
    }
    int round = round(call);
    Optional<String> digits = call.get("Digits");
    Optional<String> said = setup.speech() ? call.get("SpeechResult") : Optional.empty();
    if (digits.isEmpty() && said.isEmpty()) {
      if (round >= SILENT_ROUNDS) {
        log.info("Menu call " + call.sidForLog() + ": nothing pressed in " + round + " rounds; default option");
        return go(call, setup.options().get(setup.defaultKey()));
      }
      return menu(call, setup, round + 1, Optional.empty());
    }
    Optional<MenuOption> chosen = digits.isPresent()
        ? Optional.ofNullable(digits.get().length() == 1 ? setup.options().get(digits.get().charAt(0) - '0') : null)
        : bySpeech(setup, said.get());
    if (chosen.isPresent()) {
      return go(call, chosen.get());
    }
    log.info("Menu call " + call.sidForLog() + ": " + (digits.isPresent() ? "key " + LogSafe.of(digits.get(), 5)
        : "speech") + " is no option");
    if (round >= MAX_ROUNDS) {
      return go(call, setup.options().get(setup.defaultKey()));
    }
    return menu(call, setup, round + 1, Optional.of(call.speech().sentence(Sentence.NOT_AN_OPTION)));
  }

  private String menu(Webhook call, Setup setup, int round, Optional<String> preface) {
    Speech speech = call.speech();
    List<String> sentences = new ArrayList<>();
    setup.options().values().forEach(option -> sentences.add(speech.sentence(Sentence.MENU_OPTION, option.label(),
        Integer.toString(option.key()))));
    List<String> hints = setup.speech()
        ? setup.options().values().stream().map(MenuOption::label).toList() : List.of();
    Optional<Greeting> greeting = call.get("greeting").isPresent() || call.get("greeting_audio").isPresent()
        ? Optional.of(Greeting.of(call.parameters(), "")) : Optional.empty();
    return Twiml.menu(speech, preface, greeting, sentences, CHOICE_PATH + "?" + carried(call) + "&round=" + round,
        hints);
  }

  private static String go(Webhook call, MenuOption option) {
    log.info("Menu call " + call.sidForLog() + " goes to option " + option.key());
    return Twiml.redirect(option.path());
  }

  /** No option can be offered: say so, and take a voicemail if any option names a service key. */
  private String misconfigured(Webhook call, Setup setup) {
    Speech speech = call.speech();
    log.severe("/menu has no option it can offer: " + (setup.refused().isEmpty()
        ? "no option1 … option9 given" : String.join("; ", setup.refused())));
    if (setup.anyKey().isEmpty()) {
      return Twiml.sayAndHangUp(speech, speech.sentence(Sentence.LINE_MISCONFIGURED));
    }
    String action = Voicemail.recordingAction(setup.anyKey().get(), call.severity(), Optional.empty(), false, speech);
    return Twiml.explainThenVoicemail(speech, speech.sentence(Sentence.MENU_MISCONFIGURED),
        Greeting.spoken(speech.sentence(Sentence.GREETING)), action,
        Voicemail.absentCallback(action, call.caller().number()), Optional.empty());
  }

  private static Setup setup(Webhook call, boolean logRefused) {
    SortedMap<Integer, MenuOption> options = new TreeMap<>();
    List<String> refused = new ArrayList<>();
    Optional<RoutingKey> anyKey = Optional.empty();
    for (int key = 1; key <= 9; key++) {
      Optional<String> value = call.get("option" + key);
      if (value.isEmpty()) {
        continue;
      }
      if (anyKey.isEmpty()) {
        anyKey = MenuOption.serviceKeyIn(value.get());
      }
      try {
        options.put(key, MenuOption.parse(key, value.get()));
      } catch (IllegalArgumentException e) {
        refused.add("option" + key + " is left out: " + e.getMessage());
      }
    }
    if (logRefused && !refused.isEmpty() && !options.isEmpty()) {
      log.warning("/menu offers " + options.size() + " option(s); " + String.join("; ", refused));
    }
    Optional<Integer> given = call.get("default").filter(d -> d.matches("[1-9]")).map(Integer::parseInt)
        .filter(options::containsKey);
    int defaultKey = given.orElse(options.isEmpty() ? 0 : options.firstKey());
    if (logRefused && call.get("default").isPresent() && given.isEmpty() && !options.isEmpty()) {
      log.warning("/menu default " + LogSafe.of(call.get("default").get(), 10) + " is not an option; using option "
          + defaultKey);
    }
    return new Setup(options, refused, anyKey, defaultKey, call.get("speech").map("true"::equalsIgnoreCase).orElse(false));
  }

  private static Optional<MenuOption> bySpeech(Setup setup, String said) {
    String heard = normalized(said);
    return setup.options().values().stream()
        .filter(option -> !heard.isEmpty() && (heard.contains(normalized(option.label()))
            || normalized(option.label()).contains(heard)))
        .findFirst();
  }

  private static String normalized(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
  }

  private static String carried(Webhook call) {
    List<String> query = new ArrayList<>();
    for (String name : CARRIED) {
      call.get(name).ifPresent(value -> query.add(name + "=" + Text.urlEncode(value)));
    }
    return String.join("&", query);
  }

  private static int round(Webhook call) {
    return call.get("round").filter(r -> r.matches("[0-9]{1,2}")).map(Integer::parseInt).orElse(1);
  }
}
