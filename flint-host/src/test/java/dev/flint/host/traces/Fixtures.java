package dev.flint.host.traces;

import dev.flint.trace.format.TraceReader;
import dev.flint.trace.model.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** The trace engine's shared fixtures (real perf, folded and gzip traces), and a clock tests can move. */
final class Fixtures {

    static final String PYTHON = "python-loop-200hz.perf";
    static final String JAVA_GZ = "java-loop-200hz.perf.gz";
    static final String FOLDED = "java-loop-async-profiler.collapsed";

    private Fixtures() {}

    static Path path(String name) {
        String root = System.getenv("FLINT_REPO_ROOT");
        Path dir = Path.of(root == null ? ".." : root, "flint-trace", "src", "test", "resources", "traces");
        return dir.resolve(name);
    }

    static byte[] bytes(String name) throws Exception {
        return Files.readAllBytes(path(name));
    }

    /** The fixture as the engine reads it, for the expected answers. */
    static Trace trace(String name) throws Exception {
        return TraceReader.read(path(name));
    }

    /** A clock that stands still until moved. */
    static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
