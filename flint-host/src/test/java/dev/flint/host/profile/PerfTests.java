package dev.flint.host.profile;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the tests that run real perf share: the check, once, and the skip with a printed reason. */
final class PerfTests {

    private PerfTests() {}

    /** The host's availability; skips the calling test, printing why, when perf cannot sample here. */
    static PerfAvailability perfOrSkip() {
        PerfAvailability a = PerfAvailability.shared();
        if (!a.available()) {
            System.out.println("[skipped] perf cannot sample here: " + a.reason().orElse("?"));
        }
        assumeTrue(a.available(), () -> "perf cannot sample here: " + a.reason().orElse("?"));
        return a;
    }

    /** A program that burns one CPU until killed: {@code sh -c 'while :; do :; done'}. */
    static Process busyShell() throws IOException {
        return start(List.of("sh", "-c", "while :; do :; done"));
    }

    static Process start(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.PIPE).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Kills {@code p} and its descendants, and waits for them. */
    static void kill(Process p) {
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Perf processes this JVM started that are still running: none, after a clean stop. */
    static List<ProcessHandle> perfChildren() {
        return ProcessHandle.current().descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("/perf") || c.endsWith("/sleep")).orElse(false))
                .toList();
    }

    /**
     * A real trace store, just big enough for the tests: each trace {@code tN} is {@code tN.perf},
     * {@code tN.labels} ({@code key=value} lines) and {@code tN.invocations}, in one folder.
     */
    static final class DirTraceSink implements TraceSink {
        private final Path dir;
        private int next;

        DirTraceSink(Path dir) {
            this.dir = dir;
        }

        @Override
        public synchronized String store(Path perfScriptFile, Map<String, String> labels, List<InvocationMarks.Mark> marks)
                throws IOException {
            String id = "t" + (++next);
            Files.move(perfScriptFile, dir.resolve(id + ".perf"));
            StringBuilder b = new StringBuilder();
            labels.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
            Files.writeString(dir.resolve(id + ".labels"), b);
            dev.flint.host.traces.InvocationMark.write(marks.stream().map(InvocationMarks.Mark::toStored).toList(),
                    dir.resolve(id + ".invocations"));
            return id;
        }

        synchronized int stored() {
            return next;
        }

        Path perf(String id) {
            return dir.resolve(id + ".perf");
        }

        Map<String, String> labels(String id) {
            try {
                Map<String, String> m = new java.util.LinkedHashMap<>();
                for (String line : Files.readAllLines(dir.resolve(id + ".labels"))) {
                    int eq = line.indexOf('=');
                    m.put(line.substring(0, eq), line.substring(eq + 1));
                }
                return m;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Path invocations(String id) {
            return dir.resolve(id + ".invocations");
        }
    }
}
