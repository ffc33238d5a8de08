package dev.flint.trace.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.StackTable;
import dev.flint.trace.model.Trace;
import dev.flint.trace.model.TraceBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The speedscope file's structure, frame sharing, and sample and weight sums. */
class SpeedscopeWriterTest {

    private static final String LIBC = "/usr/lib/x86_64-linux-gnu/libc.so.6";

    /** Two threads of java (8675/8676 and 8675/8677) and one of burn, all sharing libc frames. */
    private static Trace trace() {
        TraceBuilder b = new TraceBuilder("perf-script", "two-threads.perf");
        int cpu = b.event("cpu-clock");
        int cycles = b.event("cycles");
        int start = b.frame("start_thread", LIBC, FrameKind.USER);
        int run = b.frame("Interpreter", "/tmp/perf-8675.map", FrameKind.JIT);
        int leaf = b.frame("memcpy", LIBC, FrameKind.USER);
        // the same name and module in another kind is the same speedscope frame
        int leafAgain = b.frame("memcpy", LIBC, FrameKind.NATIVE);
        int java = b.frame("java", "", FrameKind.PROCESS);
        int burn = b.frame("burn", "", FrameKind.PROCESS);
        int t1 = b.stack(new int[] {java, start, run, leaf}, 4);
        int t2 = b.stack(new int[] {java, start, leafAgain}, 3);
        int t3 = b.stack(new int[] {burn, start, leaf}, 3);
        long t = 1_000_000_000L;
        b.sample(t, 8675, 8676, 0, cpu, 1, 5_000_000, t1, false);
        b.sample(t + 5_000_000, 8675, 8677, 1, cpu, 1, 5_000_000, t2, false);
        b.sample(t + 10_000_000, 8675, 8676, 0, cpu, 1, 5_000_000, t1, false);
        b.sample(t + 10_000_000, 8675, 8676, 0, cycles, 1, 123_456, t1, false); // another event: left out
        b.sample(t + 15_000_000, 8675, 8676, 0, cpu, 1, 5_000_000, t2, false);
        b.sample(t + 20_000_000, 9000, 9000, 1, cpu, 1, 4_000_000, t3, false);
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> write(Trace trace, SpeedscopeWriter.Options options) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SpeedscopeWriter.write(trace, options, out);
        try (JsonParser p = new JsonFactory().createParser(out.toByteArray())) {
            p.nextToken();
            return (Map<String, Object>) read(p);
        }
    }

    /** A minimal tree reader on jackson-core's streaming parser: objects, arrays, strings and longs. */
    private static Object read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() != JsonToken.END_OBJECT) {
                    String key = p.currentName();
                    p.nextToken();
                    m.put(key, read(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(read(p));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getLongValue();
            }
            default -> throw new AssertionError("unexpected " + t);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T get(Object o, String key) {
        return (T) ((Map<String, Object>) o).get(key);
    }

    @Test
    void aSampledProfilePerThreadWithSharedFrames() throws Exception {
        Map<String, Object> file = write(trace(), SpeedscopeWriter.Options.DEFAULT);
        assertThat(file.get("$schema")).isEqualTo("https://www.speedscope.app/file-format-schema.json");
        assertThat(file.get("exporter")).isEqualTo("flint");
        assertThat(file.get("name")).isEqualTo("two-threads.perf");
        assertThat(file.get("activeProfileIndex")).isEqualTo(0L);

        List<Object> frames = get(file.get("shared"), "frames");
        assertThat(frames).hasSize(3); // start_thread, Interpreter, memcpy: no process frames, memcpy once
        List<String> names = frames.stream().map(f -> (String) get(f, "name")).toList();
        assertThat(names).containsExactlyInAnyOrder("start_thread", "Interpreter", "memcpy");
        assertThat((String) get(frames.get(names.indexOf("memcpy")), "file")).isEqualTo(LIBC);

        List<Object> profiles = get(file, "profiles");
        assertThat(profiles).extracting(p -> (String) get(p, "name"))
                .containsExactly("java 8675/8676", "java 8675/8677", "burn 9000/9000"); // heaviest first
        for (Object p : profiles) {
            assertThat((String) get(p, "type")).isEqualTo("sampled");
            assertThat((String) get(p, "unit")).isEqualTo("none");
            List<List<Long>> samples = get(p, "samples");
            List<Long> weights = get(p, "weights");
            assertThat(weights).hasSameSizeAs(samples);
            long sum = weights.stream().mapToLong(Long::longValue).sum();
            assertThat((Long) get(p, "startValue")).isZero();
            assertThat((Long) get(p, "endValue")).isEqualTo(sum);
            for (List<Long> stack : samples) {
                for (Long index : stack) {
                    assertThat(index).isBetween(0L, (long) frames.size() - 1);
                }
                // root first: every stack starts at start_thread
                assertThat(names.get(stack.get(0).intValue())).isEqualTo("start_thread");
            }
        }
        List<List<Long>> first = get(profiles.get(0), "samples");
        assertThat(first).hasSize(3); // the cycles sample is not there
        assertThat(first.get(0).stream().map(i -> names.get(i.intValue())).toList())
                .containsExactly("start_thread", "Interpreter", "memcpy");
        assertThat(profiles.stream().mapToLong(p -> ((List<?>) get(p, "samples")).size()).sum()).isEqualTo(5);
    }

    @Test
    void weightsInNanoseconds() throws Exception {
        Map<String, Object> file = write(trace(), SpeedscopeWriter.Options.DEFAULT.withNanoseconds());
        List<Object> profiles = get(file, "profiles");
        assertThat(profiles).extracting(p -> (String) get(p, "unit")).containsOnly("nanoseconds");
        assertThat(profiles).extracting(p -> (Long) get(p, "endValue"))
                .containsExactly(15_000_000L, 5_000_000L, 4_000_000L);
    }

    @Test
    void perProcessOrOneProfileAndAnotherEvent() throws Exception {
        List<Object> byProcess = get(write(trace(), SpeedscopeWriter.Options.DEFAULT
                .withSplit(SpeedscopeWriter.Split.PROCESS)), "profiles");
        assertThat(byProcess).extracting(p -> (String) get(p, "name")).containsExactly("java 8675", "burn 9000");
        assertThat((List<?>) get(byProcess.get(0), "samples")).hasSize(4);

        List<Object> one = get(write(trace(), SpeedscopeWriter.Options.DEFAULT.withSplit(SpeedscopeWriter.Split.NONE)),
                "profiles");
        assertThat(one).hasSize(1);
        assertThat((String) get(one.get(0), "name")).isEqualTo("two-threads.perf");
        assertThat((List<?>) get(one.get(0), "weights")).hasSize(5);

        List<Object> cycles = get(write(trace(), SpeedscopeWriter.Options.DEFAULT.withEvent("cycles").withNanoseconds()),
                "profiles");
        assertThat(cycles).hasSize(1);
        assertThat((Long) get(cycles.get(0), "endValue")).isEqualTo(123_456L);
    }

    @Test
    void aTraceWithoutProcessFramesOrThreads() throws Exception {
        TraceBuilder b = new TraceBuilder("folded", "loop.collapsed");
        int main = b.stack(StackTable.ROOT, b.frame("Loop.main", "", FrameKind.JIT));
        int work = b.stack(main, b.frame("Loop.work", "", FrameKind.JIT));
        b.sample(SampleStore.NO_TIME, -1, -1, -1, b.event(""), 7, 7, work, false);
        b.sample(SampleStore.NO_TIME, -1, -1, -1, b.event(""), 3, 3, main, false);
        Map<String, Object> file = write(b.build(), SpeedscopeWriter.Options.DEFAULT);
        List<Object> profiles = get(file, "profiles");
        assertThat(profiles).hasSize(1);
        assertThat((String) get(profiles.get(0), "name")).isEqualTo("loop.collapsed");
        assertThat((List<Long>) get(profiles.get(0), "weights")).containsExactly(7L, 3L);
        assertThat((List<?>) get(file.get("shared"), "frames")).hasSize(2);
    }
}
