package dev.flint.host.process;

import java.io.IOException;

/**
 * Where a handler process is put right after it is spawned, before it is probed: a cgroup of its own
 * when profiling can sample by cgroup ({@code profile.HandlerCgroup}), or nowhere special.
 * Kept by the supervisor across restarts; released once, when the handler stops for good.
 */
public interface ProcessPlacement {

    /** Leaves every process where the operating system put it. */
    ProcessPlacement NONE = new ProcessPlacement() {
        @Override
        public void place(Process process) {
        }

        @Override
        public void release() {
        }
    };

    /** Moves a just-spawned handler process (and anything it already started) into place. */
    void place(Process process) throws IOException;

    /** The handler has stopped for good: ends whatever it left behind there and frees the place. */
    void release();
}
