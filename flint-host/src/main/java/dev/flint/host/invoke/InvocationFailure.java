package dev.flint.host.invoke;

import java.util.List;

/**
 * An invocation that did not produce a response. The message is the one line a user acts on, such
 * as {@code handler answered 404 to POST /circle; an envelope answer must be 2xx}.
 */
public final class InvocationFailure extends RuntimeException {

    private final FailureKind kind;
    private final transient List<HandlerLog> logs;

    public InvocationFailure(FailureKind kind, String message) {
        this(kind, message, List.of(), null);
    }

    public InvocationFailure(FailureKind kind, String message, Throwable cause) {
        this(kind, message, List.of(), cause);
    }

    /** A failure that still carries the {@code Logs} the handler sent, so that they are not lost. */
    public InvocationFailure(FailureKind kind, String message, List<HandlerLog> logs, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.logs = List.copyOf(logs);
    }

    public FailureKind kind() {
        return kind;
    }

    public List<HandlerLog> logs() {
        return logs;
    }
}
