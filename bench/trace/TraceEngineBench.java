import dev.flint.trace.format.TraceReader;
import dev.flint.trace.model.Trace;
import dev.flint.trace.query.Differential;
import dev.flint.trace.query.FlameGraph;
import dev.flint.trace.query.FlameGraphs;
import dev.flint.trace.query.HeatMap;
import dev.flint.trace.query.SampleFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Times the trace engine's requests on one perf file, in one JVM, the way the query API serves them
 * (a warm JVM, a trace it has not read yet): read + heat map (cold: the file is parsed for it), then,
 * on the built trace, the whole-range flame graph, a 2-second-range flame graph and a differential of
 * two 10-second ranges. Each is run ROUNDS times after WARMUP runs; the median is printed, with the
 * first (JVM-cold) run beside it. Also the heap the built trace holds.
 *
 * Run by bench/trace-engine.sh; by hand:
 *   java -cp flint-trace/target/classes:$JACKSON_CORE bench/trace/TraceEngineBench.java FILE [WARMUP ROUNDS]
 */
public final class TraceEngineBench {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        double mb = Files.size(file) / 1048576.0;

        List<Double> cold = new ArrayList<>();
        Trace trace = null;
        for (int i = 0; i < warmup + rounds; i++) {
            long start = System.nanoTime();
            trace = TraceReader.read(file);
            HeatMap heat = HeatMap.of(trace, SampleFilter.all());
            long ns = System.nanoTime() - start;
            if (heat.samples() <= 0) {
                throw new IllegalStateException("no samples in the heat map");
            }
            cold.add(ns / 1e6);
        }
        Trace built = trace;
        long heap = retainedHeap(() -> {
            try {
                return TraceReader.read(file);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });

        double startS = 10;
        List<Double> full = time(warmup, rounds, () -> FlameGraphs.build(built, SampleFilter.all()));
        List<Double> range = time(warmup, rounds, () -> FlameGraphs.build(built, SampleFilter.seconds(built, startS, startS + 2)));
        List<Double> diff = time(warmup, rounds, () -> Differential.compare(
                Differential.Side.of(built, SampleFilter.seconds(built, 10, 20)),
                Differential.Side.of(built, SampleFilter.seconds(built, 30, 40))));
        FlameGraph graph = FlameGraphs.build(built, SampleFilter.all());

        System.out.printf("file %s: %.1f MB, %d rows (%d samples), %d stacks, %d frames, %d nodes shown%n", file,
                mb, built.samples().size(), built.samples().totalCount(), built.stacks().size(), built.frames().size(),
                count(graph.root()));
        System.out.printf("read + heat map (cold trace, warm JVM): median %.1f ms (%.0f MB/s), first run %.1f ms%n",
                median(cold.subList(warmup, cold.size())), mb / (median(cold.subList(warmup, cold.size())) / 1000),
                cold.get(0));
        System.out.printf("flame graph, whole range: median %.2f ms, first %.2f ms%n", median(full.subList(warmup, full.size())), full.get(0));
        System.out.printf("flame graph, 2 s range: median %.3f ms, first %.3f ms%n", median(range.subList(warmup, range.size())), range.get(0));
        System.out.printf("differential, two 10 s ranges: median %.2f ms, first %.2f ms%n", median(diff.subList(warmup, diff.size())), diff.get(0));
        System.out.printf("heap held by the built trace: %.1f MB%n", heap / 1048576.0);
    }

    private static List<Double> time(int warmup, int rounds, Supplier<Object> query) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < warmup + rounds; i++) {
            long start = System.nanoTime();
            Object result = query.get();
            ms.add((System.nanoTime() - start) / 1e6);
            if (result == null) {
                throw new IllegalStateException();
            }
        }
        return ms;
    }

    private static long retainedHeap(Supplier<Trace> load) throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        gc();
        long before = rt.totalMemory() - rt.freeMemory();
        Trace kept = load.get();
        gc();
        long after = rt.totalMemory() - rt.freeMemory();
        if (kept.samples().size() < 0) {
            throw new IllegalStateException();
        }
        return after - before;
    }

    private static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
    }

    private static int count(dev.flint.trace.query.FlameNode node) {
        int n = 1;
        for (var child : node.children()) {
            n += count(child);
        }
        return n;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
