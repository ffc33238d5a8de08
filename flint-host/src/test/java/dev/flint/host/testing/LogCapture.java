package dev.flint.host.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** Collects every log event while open, so tests can assert what a user would read on the console. */
public final class LogCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    public LogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    public List<String> lines() {
        // AppenderBase.doAppend holds the appender's monitor while it adds to the list.
        synchronized (appender) {
            return appender.list.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()).toList();
        }
    }

    public boolean contains(String text) {
        return lines().stream().anyMatch(l -> l.contains(text));
    }

    /** Waits until a line satisfies the predicate; fails with every line seen when it does not come. */
    public String await(Predicate<String> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : lines()) {
                if (condition.test(line)) {
                    return line;
                }
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no matching log line within " + timeout + "; lines were:\n" + String.join("\n", lines()));
    }

    public String await(String text) {
        return await(l -> l.contains(text), Duration.ofSeconds(20));
    }

    @Override
    public void close() {
        root.detachAppender(appender);
    }
}
