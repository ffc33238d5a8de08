package dev.flint.host.invoke;

/**
 * One entry of a handler's {@code Logs}. Azure only takes strings and logs them at Information;
 * Flint also takes {@code {"level": "warning", "message": "..."}} objects (azure-functions-host#6608).
 */
public record HandlerLog(Level level, String message) {

    public enum Level { TRACE, DEBUG, INFORMATION, WARNING, ERROR, CRITICAL }

    public static HandlerLog info(String message) {
        return new HandlerLog(Level.INFORMATION, message);
    }
}
