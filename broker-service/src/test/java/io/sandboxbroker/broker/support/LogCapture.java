package io.sandboxbroker.broker.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Everything logged (down to DEBUG for our own loggers) while it is open, as text: the formatted
 * message plus any exception's class and message, so a test can assert a secret never got out.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger ours = (Logger) LoggerFactory.getLogger("io.sandboxbroker");
    private final Level previousLevel = ours.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture() {
        appender.start();
        root.addAppender(appender);
        ours.setLevel(Level.DEBUG);
    }

    /** One line per event. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(appender.list)) {
            StringBuilder line =
                    new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
            for (IThrowableProxy thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
                line.append(" | ").append(thrown.getClassName()).append(": ").append(thrown.getMessage());
            }
            lines.add(line.toString());
        }
        return lines;
    }

    public String text() {
        return String.join("\n", lines());
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        ours.setLevel(previousLevel);
    }
}
