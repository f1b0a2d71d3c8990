package phoneduty.support;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what a class, or a package and those below it, logs while open. */
public final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger;
  private final StringBuilder text = new StringBuilder();

  private LogCapture(Logger logger) {
    this.logger = logger;
    logger.addHandler(this);
  }

  public static LogCapture of(Class<?> type) {
    return of(type.getName());
  }

  /** What a logger and those below it log, such as {@code "phoneduty"} for the whole app. */
  public static LogCapture of(String loggerName) {
    return new LogCapture(Logger.getLogger(loggerName));
  }

  public synchronized String text() {
    return text.toString();
  }

  @Override
  public synchronized void publish(LogRecord record) {
    text.append(record.getLevel()).append(' ').append(record.getMessage()).append('\n');
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
