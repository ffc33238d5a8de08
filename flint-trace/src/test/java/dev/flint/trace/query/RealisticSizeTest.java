package dev.flint.trace.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.Trace;
import dev.flint.trace.model.TraceBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every query on a trace of the size anchors.md measures FlameScope on (about 100k samples, 90k
 * distinct stacks, 250 s): the results must agree with each other, and each query prints how long
 * it took, cold and after warm-up. No timing is asserted: this is a smoke check, not a benchmark.
 */
class RealisticSizeTest {

    private static final long S = 1_000_000_000L;
    private static final int SAMPLES = 100_000;
    private static final long SPAN = 250 * S;

    private static Trace trace;
    private static List<Invocation> invocations;

    @BeforeAll
    static void generate() {
        Random random = new Random(2026);
        TraceBuilder b = new TraceBuilder("perf-script", "generated");
        int event = b.event("cpu-clock");
        int[] processes = {b.frame("java", "", FrameKind.PROCESS), b.frame("python3", "", FrameKind.PROCESS),
                b.frame("node", "", FrameKind.PROCESS), b.frame("swapper", "", FrameKind.PROCESS)};
        FrameKind[] kinds = {FrameKind.JIT, FrameKind.JIT, FrameKind.INLINED, FrameKind.USER, FrameKind.KERNEL};
        int[] frames = new int[6000];
        for (int i = 0; i < frames.length; i++) {
            // A few names repeat in another module, as the same function in two libraries does.
            String name = i % 97 == 0 ? "memcpy" : "pkg" + (i % 40) + ".Class" + (i % 300) + ".method" + i;
            frames[i] = b.frame(name, "/usr/lib/lib" + (i % 50) + ".so", kinds[i % kinds.length]);
        }
        int idle = b.frame("cpu_idle", "[kernel.kallsyms]", FrameKind.KERNEL);
        // Base call paths sharing prefixes, then one or two random leaves per sample: ~90k distinct stacks.
        List<int[]> paths = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int[] prefix = paths.isEmpty() || random.nextInt(4) == 0 ? new int[] {processes[random.nextInt(3)]}
                    : paths.get(random.nextInt(paths.size()));
            int[] path = Arrays.copyOf(prefix, Math.min(60, prefix.length + 1 + random.nextInt(8)));
            for (int d = prefix.length; d < path.length; d++) {
                path[d] = frames[random.nextInt(frames.length)];
            }
            paths.add(path);
        }
        int idleStack = b.stack(new int[] {processes[3], idle}, 2);
        int[] buffer = new int[64];
        for (int i = 0; i < SAMPLES; i++) {
            long time = 1_000 * S + (long) i * SPAN / SAMPLES + random.nextInt(1_000_000);
            int pid = 100 + random.nextInt(4);
            if (random.nextInt(5) == 0) {
                b.sample(time, 0, 0, random.nextInt(2), event, 1, 5_000_000, idleStack, true);
                continue;
            }
            int[] path = paths.get((int) Math.min(paths.size() - 1, Math.abs(random.nextGaussian()) * 400));
            System.arraycopy(path, 0, buffer, 0, path.length);
            int depth = path.length;
            for (int leaves = random.nextInt(100) < 5 ? 2 : 1; leaves > 0; leaves--) {
                buffer[depth++] = frames[random.nextInt(frames.length)];
            }
            b.sample(time, pid, pid * 10 + random.nextInt(4), random.nextInt(2), event, 1, 5_000_000,
                    b.stack(buffer, depth), false);
        }
        trace = b.build();
        invocations = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long start = 1_000 * S + (long) i * SPAN / 1000;
            invocations.add(new Invocation("inv-" + i, start, start + (50 + random.nextInt(100)) * 1_000_000L,
                    100 + random.nextInt(4)));
        }
        System.out.printf("generated: %d samples, %d stacks, %d frames, %.0f s%n", trace.samples().size(),
                trace.stacks().size(), trace.frames().size(), (trace.endNanos() - trace.startNanos()) / 1e9);
    }

    @Test
    void theTraceHasTheIntendedSize() {
        assertThat(trace.samples().size()).isEqualTo(SAMPLES);
        assertThat(trace.stacks().size()).isBetween(80_000, 110_000);
    }

    @Test
    void heatMap() {
        HeatMap map = timed("heat map (50 rows)", () -> HeatMap.of(trace, SampleFilter.all()));

        long selected = SampleFilter.all().select(trace).sampleCount();
        assertThat(map.samples()).isEqualTo(selected);
        assertThat(Arrays.stream(map.values()).flatMapToLong(Arrays::stream).sum()).isEqualTo(selected);
        assertThat(map.columns()).isBetween(250, 252);
    }

    @Test
    void rangeFlameGraphOfTwoSeconds() {
        SampleFilter range = SampleFilter.seconds(trace, 100, 102);
        FlameGraph graph = timed("flame graph, 2 s range", () -> FlameGraphs.build(trace, range));

        HeatMap map = HeatMap.of(trace, SampleFilter.all());
        long inColumns = Arrays.stream(map.values()[100]).sum() + Arrays.stream(map.values()[101]).sum();
        assertThat(graph.samples()).isEqualTo(inColumns).isPositive();
        assertThat(graph.root().total()).isEqualTo(inColumns);
    }

    @Test
    void fullRangeFlameGraph() {
        FlameGraph pruned = timed("flame graph, whole trace, pruned at 0.1 %",
                () -> FlameGraphs.build(trace, SampleFilter.all()));
        FlameGraph all = timed("flame graph, whole trace, unpruned",
                () -> FlameGraphs.build(trace, SampleFilter.all(), FlameGraphs.Options.DEFAULT.withMinWidth(0)));
        FlameGraph weight = timed("flame graph, whole trace, weight",
                () -> FlameGraphs.build(trace, SampleFilter.all(),
                        FlameGraphs.Options.DEFAULT.withMeasure(Measure.WEIGHT)));

        long selected = SampleFilter.all().select(trace).sampleCount();
        assertThat(pruned.root().total()).isEqualTo(selected);
        assertThat(all.root().total()).isEqualTo(selected);
        assertThat(weight.root().total()).isEqualTo(selected * 5_000_000);
        assertThat(nodes(pruned.root())).isLessThan(nodes(all.root()));
        assertThat(nodes(pruned.root()) + countPruned(pruned.root()))
                .as("every node is shown or counted in an \"other\" node").isEqualTo(nodes(all.root()));
        System.out.printf("  nodes: %d unpruned, %d pruned%n", nodes(all.root()), nodes(pruned.root()));
    }

    @Test
    void differentialOfTheTwoHalves() {
        long middle = (trace.startNanos() + trace.endNanos()) / 2;
        Differential.Side first = Differential.Side.of(trace, SampleFilter.nanos(trace.startNanos(), middle));
        Differential.Side second = Differential.Side.of(trace, SampleFilter.nanos(middle, trace.endNanos() + 1));
        Differential diff = timed("differential, two halves", () -> Differential.compare(first, second));
        Differential normalised = timed("differential, two halves, cross-machine names",
                () -> Differential.compare(first, second,
                        Differential.Options.DEFAULT.withNames(NameNormalizer.CROSS_MACHINE)));

        assertThat(diff.root().totalA()).isEqualTo(first.filter().select(trace).sampleCount());
        assertThat(diff.root().totalB()).isEqualTo(second.filter().select(trace).sampleCount());
        assertThat(diff.root().totalA() + diff.root().totalB()).isEqualTo(SampleFilter.all().select(trace).sampleCount());
        assertThat(normalised.root().totalA()).isEqualTo(diff.root().totalA());
    }

    @Test
    void invocationHeatMap() {
        InvocationHeatMap map = timed("invocation heat map, 1000 invocations",
                () -> InvocationHeatMap.of(trace, SampleFilter.all(), invocations));

        assertThat(map.samples() + map.outside()).isEqualTo(SampleFilter.all().select(trace).sampleCount());
        assertThat(Arrays.stream(map.totals()).sum()).isEqualTo(map.samples()); // they do not overlap
        FlameGraph inside = FlameGraphs.build(trace, SampleFilter.all().withInvocations(invocations));
        assertThat(inside.samples()).isEqualTo(map.samples());
    }

    private static int nodes(FlameNode node) {
        int n = 1;
        for (FlameNode c : node.children()) {
            n += nodes(c);
        }
        return n;
    }

    /** Nodes hidden in "other" nodes, minus the "other" nodes themselves, which are not real nodes. */
    private static int countPruned(FlameNode node) {
        int n = node.isOther() ? node.prunedNodes() - 1 : 0;
        for (FlameNode c : node.children()) {
            n += countPruned(c);
        }
        return n;
    }

    /** Runs a query once cold, 30 times to warm up, then 20 times; prints the cold time and the median. */
    static <T> T timed(String what, Supplier<T> query) {
        long t0 = System.nanoTime();
        T result = query.get();
        long cold = System.nanoTime() - t0;
        for (int i = 0; i < 30; i++) {
            query.get();
        }
        long[] runs = new long[20];
        for (int i = 0; i < runs.length; i++) {
            long t = System.nanoTime();
            query.get();
            runs[i] = System.nanoTime() - t;
        }
        Arrays.sort(runs);
        System.out.printf("  %-50s cold %7.2f ms, warm median %6.2f ms (min %.2f)%n", what, cold / 1e6,
                runs[runs.length / 2] / 1e6, runs[0] / 1e6);
        return result;
    }
}
