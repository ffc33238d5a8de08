package dev.flint.host.process;

import java.time.Instant;

/**
 * What the handler process is doing, for {@code /admin/host/status}.
 *
 * @param state       where it is in its life
 * @param pid         its process id; -1 before the first start
 * @param port        the port it was given; -1 before the first start
 * @param restarts    how many times it was started again after it exited
 * @param lastFailure why it is not ready, or "the handler is ready"
 * @param since       when it entered this state
 */
public record HandlerStatus(State state, long pid, int port, int restarts, String lastFailure, Instant since) {

    public enum State {
        /** Spawned, not answering {@code GET /} yet. */
        STARTING,
        /** Answering: invocations go to it. */
        READY,
        /** It exited; Flint starts it again after a back-off. */
        RESTARTING,
        /** Flint stopped it. */
        STOPPED
    }
}
