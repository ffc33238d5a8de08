package dev.flint.host.process;

import java.util.concurrent.CompletableFuture;

/**
 * A running, ready handler process: where to send invocations, and a future that completes with the
 * exit code when the process ends, so that an invocation whose connection broke can tell a crash
 * from a network failure.
 */
public record HandlerEndpoint(String host, int port, long pid, CompletableFuture<Integer> exit) {

    public boolean alive() {
        return !exit.isDone();
    }
}
