package dev.flint.host.invoke;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-invocation console lines of {@code func start}: {@code Executing 'Functions.X' (...)} and
 * {@code Executed 'Functions.X' (Succeeded, Id=..., Duration=12ms)}, in category
 * {@code Function.<Name>}; the handler's {@code Logs} in {@code Function.<Name>.User}.
 */
public final class InvocationLog {

    private static final String REASON = "This function was programmatically called via the host APIs.";
    private static final ConcurrentHashMap<String, Logger> FUNCTION_LOGGERS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, Logger> USER_LOGGERS = new ConcurrentHashMap<>();

    private InvocationLog() {}

    public static void executing(Invocation invocation) {
        Logger log = functionLogger(invocation.function().name());
        if (log.isInfoEnabled()) {
            log.info("Executing 'Functions.{}' (Reason='{}', Id={})", invocation.function().name(), REASON, invocation.id());
        }
    }

    public static void succeeded(Invocation invocation) {
        if (!invocation.end(Invocation.Outcome.SUCCEEDED)) {
            return;
        }
        Logger log = functionLogger(invocation.function().name());
        if (log.isInfoEnabled()) {
            log.info("Executed 'Functions.{}' (Succeeded, Id={}, Duration={}ms)", invocation.function().name(),
                    invocation.id(), invocation.elapsedMillis());
        }
    }

    /** The failed line, and on the next line the reason a user can act on. */
    public static void failed(Invocation invocation, InvocationFailure failure) {
        if (!invocation.end(Invocation.Outcome.FAILED)) {
            return;
        }
        userLogs(invocation, failure.logs());
        functionLogger(invocation.function().name()).error(
                "Executed 'Functions.{}' (Failed, Id={}, Duration={}ms)\n  {}: {}", invocation.function().name(),
                invocation.id(), invocation.elapsedMillis(), failure.kind().code(), failure.getMessage());
    }

    /** An invocation the caller abandoned: not the function's failure, so not logged as one. */
    public static void cancelled(Invocation invocation, String reason) {
        if (!invocation.end(Invocation.Outcome.CANCELLED)) {
            return;
        }
        Logger log = functionLogger(invocation.function().name());
        if (log.isInfoEnabled()) {
            log.info("Executed 'Functions.{}' (Cancelled, Id={}, Duration={}ms): {}", invocation.function().name(),
                    invocation.id(), invocation.elapsedMillis(), reason);
        }
    }

    /** The handler's {@code Logs}, at their levels, in {@code Function.<Name>.User}. */
    public static void userLogs(Invocation invocation, List<HandlerLog> logs) {
        if (logs.isEmpty()) {
            return;
        }
        Logger log = USER_LOGGERS.computeIfAbsent(invocation.function().name(),
                name -> LoggerFactory.getLogger("Function." + name + ".User"));
        for (HandlerLog entry : logs) {
            switch (entry.level()) {
                case TRACE -> log.trace(entry.message());
                case DEBUG -> log.debug(entry.message());
                case INFORMATION -> log.info(entry.message());
                case WARNING -> log.warn(entry.message());
                case ERROR, CRITICAL -> log.error(entry.message());
            }
        }
    }

    private static Logger functionLogger(String name) {
        return FUNCTION_LOGGERS.computeIfAbsent(name, n -> LoggerFactory.getLogger("Function." + n));
    }
}
