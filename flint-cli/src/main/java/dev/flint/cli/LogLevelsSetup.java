package dev.flint.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Applies host.json's {@code logging.logLevel} to Flint's loggers. Flint names its loggers with
 * Azure's categories ({@code Host.Startup}, {@code Function.<Name>}, {@code Function.<Name>.User},
 * {@code Host.Function.Console}), so the same settings mean the same thing; {@code default} is the root.
 */
final class LogLevelsSetup {

    private LogLevelsSetup() {}

    static void apply(Map<String, String> levels, boolean verbose) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        levels.forEach((category, level) -> {
            Logger logger = category.equalsIgnoreCase("default")
                    ? context.getLogger(Logger.ROOT_LOGGER_NAME) : context.getLogger(category);
            logger.setLevel(toLogback(level));
        });
        if (verbose) {
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
        }
    }

    static Level toLogback(String dotnetLevel) {
        return switch (dotnetLevel.trim().toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE;
            case "debug" -> Level.DEBUG;
            case "warning" -> Level.WARN;
            case "error", "critical" -> Level.ERROR;
            case "none" -> Level.OFF;
            default -> Level.INFO;
        };
    }

    /** Lets queued log lines reach the terminal before the JVM exits. */
    static void flush() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
