package dev.flint.host.profile;

import dev.flint.trace.format.TraceReader;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.Trace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reading back what perf produced, with the trace engine, for assertions. */
final class Traces {

    private Traces() {}

    static Trace read(Path perfScript) throws Exception {
        return TraceReader.read(perfScript);
    }

    /** Sample counts by pid. */
    static Map<Integer, Integer> samplesByPid(Trace t) {
        Map<Integer, Integer> m = new TreeMap<>();
        SampleStore s = t.samples();
        for (int r = 0; r < s.size(); r++) {
            m.merge(s.pid(r), s.count(r), Integer::sum);
        }
        return m;
    }

    /** The frame names of each sample of {@code pid} (or every sample, for -1), root first. */
    static List<List<String>> stacks(Trace t, int pid) {
        List<List<String>> out = new ArrayList<>();
        SampleStore s = t.samples();
        for (int r = 0; r < s.size(); r++) {
            if (pid != -1 && s.pid(r) != pid) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (int f : t.stacks().framesRootFirst(s.stack(r))) {
                names.add(t.frames().name(f));
            }
            out.add(names);
        }
        return out;
    }

    /** Sample times of {@code pid}, in order. */
    static long[] times(Trace t, int pid) {
        SampleStore s = t.samples();
        return java.util.stream.IntStream.range(0, s.size()).filter(r -> s.pid(r) == pid).mapToLong(s::time).toArray();
    }
}
