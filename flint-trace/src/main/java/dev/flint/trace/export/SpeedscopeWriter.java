package dev.flint.trace.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.FrameTable;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.StackTable;
import dev.flint.trace.model.Trace;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trace as a speedscope file ({@code https://www.speedscope.app/file-format-schema.json}): one
 * {@code "sampled"} profile per thread (as speedscope's own perf importer does: a time-ordered view
 * that interleaves threads would mean nothing), or per process, or one for the whole trace.
 *
 * <ul>
 *   <li>{@code shared.frames}: every distinct (name, module) once, the module as {@code file}
 *       (left out when unknown); the process frame of perf stacks is not a frame but the
 *       profile's name ({@code java 8675/8676}).</li>
 *   <li>{@code samples}: each sample's stack as frame indices, root first, in time order (the
 *       store's order); {@code weights}: the sample counts with unit {@code "none"}, or the
 *       samples' weights with unit {@code "nanoseconds"} (perf's period for cpu-clock and
 *       task-clock, JFR's sampling interval) when {@link Options#nanoseconds()}.</li>
 *   <li>{@code startValue} 0 and {@code endValue} the profile's total weight: sampled profiles do
 *       not carry timestamps.</li>
 *   <li>Only one event's samples, as in {@link FoldedWriter}: {@link Options#event()}, or the
 *       trace's first event that has samples.</li>
 *   <li>Profiles heaviest first; {@code activeProfileIndex} 0; {@code exporter} "flint";
 *       {@code name} the trace's source.</li>
 * </ul>
 * Written as a stream with jackson-core; memory is one int per sample (its profile) plus one
 * index path per distinct stack.
 */
public final class SpeedscopeWriter {

    public static final String SCHEMA = "https://www.speedscope.app/file-format-schema.json";
    public static final String EXPORTER = "flint";

    /** How samples are split into profiles. */
    public enum Split {
        /** One profile per (pid, tid): speedscope's own choice for perf. */
        THREAD,
        /** One profile per pid, its threads merged in time order. */
        PROCESS,
        /** One profile for the whole trace. */
        NONE
    }

    /**
     * @param split       how samples are grouped into profiles
     * @param nanoseconds weights are the samples' weights in nanoseconds, not their counts
     * @param event       the event whose samples are written; null for the first that has samples
     */
    public record Options(Split split, boolean nanoseconds, String event) {

        public static final Options DEFAULT = new Options(Split.THREAD, false, null);

        public Options withSplit(Split s) {
            return new Options(s, nanoseconds, event);
        }

        public Options withNanoseconds() {
            return new Options(split, true, event);
        }

        public Options withEvent(String e) {
            return new Options(split, nanoseconds, e);
        }
    }

    private static final JsonFactory JSON = new JsonFactory();

    private SpeedscopeWriter() {}

    /** Writes the file as UTF-8; {@code out} is flushed, not closed. */
    public static void write(Trace trace, Options options, OutputStream out) throws IOException {
        SampleStore samples = trace.samples();
        StackTable stacks = trace.stacks();
        FrameTable frames = trace.frames();
        int event = event(trace, options);

        // Pass 1: each kept sample's profile, each profile's name and total.
        Map<Long, Integer> profileIds = new HashMap<>();
        List<Profile> profiles = new ArrayList<>();
        for (int row = 0; row < samples.size(); row++) {
            if (samples.event(row) != event) {
                continue;
            }
            long key = switch (options.split()) {
                case THREAD -> ((long) samples.pid(row) << 32) | (samples.tid(row) & 0xFFFFFFFFL);
                case PROCESS -> samples.pid(row);
                case NONE -> 0;
            };
            Integer id = profileIds.get(key);
            if (id == null) {
                id = profiles.size();
                profiles.add(new Profile(profileName(trace, row, options.split())));
                profileIds.put(key, id);
            }
            Profile p = profiles.get(id);
            p.add(row);
            p.total += options.nanoseconds() ? samples.weight(row) : samples.count(row);
        }
        Integer[] order = new Integer[profiles.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong((Integer i) -> -profiles.get(i).total).thenComparingInt(i -> i));

        // The shared frames: each distinct (name, module) of the kept samples' stacks.
        Map<FrameKey, Integer> frameIds = new LinkedHashMap<>();
        int[][] paths = new int[stacks.size()][];
        for (Profile p : profiles) {
            for (int i = 0; i < p.size; i++) {
                path(samples.stack(p.rows[i]), stacks, frames, frameIds, paths);
            }
        }

        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.writeStartObject();
            g.writeStringField("$schema", SCHEMA);
            g.writeStringField("exporter", EXPORTER);
            g.writeStringField("name", trace.source());
            g.writeNumberField("activeProfileIndex", 0);
            g.writeObjectFieldStart("shared");
            g.writeArrayFieldStart("frames");
            for (FrameKey f : frameIds.keySet()) {
                g.writeStartObject();
                g.writeStringField("name", f.name());
                if (!f.module().isEmpty()) {
                    g.writeStringField("file", f.module());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("profiles");
            for (int id : order) {
                Profile p = profiles.get(id);
                g.writeStartObject();
                g.writeStringField("type", "sampled");
                g.writeStringField("name", p.name);
                g.writeStringField("unit", options.nanoseconds() ? "nanoseconds" : "none");
                g.writeNumberField("startValue", 0);
                g.writeNumberField("endValue", p.total);
                g.writeArrayFieldStart("samples");
                for (int i = 0; i < p.size; i++) {
                    int[] path = paths[samples.stack(p.rows[i])];
                    g.writeArray(path, 0, path.length);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("weights");
                for (int i = 0; i < p.size; i++) {
                    int row = p.rows[i];
                    g.writeNumber(options.nanoseconds() ? samples.weight(row) : samples.count(row));
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.flush();
    }

    private record FrameKey(String name, String module) {}

    /** A profile's name, total and rows, in time order. */
    private static final class Profile {
        final String name;
        long total;
        int[] rows = new int[16];
        int size;

        Profile(String name) {
            this.name = name;
        }

        void add(int row) {
            if (size == rows.length) {
                rows = Arrays.copyOf(rows, size * 2);
            }
            rows[size++] = row;
        }
    }

    /**
     * The speedscope frame indices of a stack, root first, without its process frame; memoised per
     * stack, and iterative (a stack's ancestors first) so that no depth can overflow the call stack.
     */
    private static void path(int stack, StackTable stacks, FrameTable frames, Map<FrameKey, Integer> ids,
                             int[][] paths) {
        if (paths[stack] != null) {
            return;
        }
        int[] pending = new int[stacks.depth(stack) + 1];
        int n = 0;
        for (int s = stack; s != StackTable.ROOT && paths[s] == null; s = stacks.parent(s)) {
            pending[n++] = s;
        }
        while (n > 0) {
            int s = pending[--n];
            int parent = stacks.parent(s);
            int[] up = parent == StackTable.ROOT ? new int[0] : paths[parent];
            int frame = stacks.frame(s);
            if (parent == StackTable.ROOT && frames.kind(frame) == FrameKind.PROCESS) {
                paths[s] = up;
            } else {
                int index = ids.computeIfAbsent(new FrameKey(frames.name(frame), frames.module(frame)),
                        k -> ids.size());
                int[] path = Arrays.copyOf(up, up.length + 1);
                path[up.length] = index;
                paths[s] = path;
            }
        }
    }

    private static String profileName(Trace trace, int row, Split split) {
        SampleStore s = trace.samples();
        int root = s.stack(row);
        while (trace.stacks().parent(root) != StackTable.ROOT) {
            root = trace.stacks().parent(root);
        }
        int frame = trace.stacks().frame(root);
        String comm = trace.frames().kind(frame) == FrameKind.PROCESS ? trace.frames().name(frame) : null;
        if (split == Split.NONE || (comm == null && s.pid(row) == SampleStore.UNKNOWN
                && s.tid(row) == SampleStore.UNKNOWN)) {
            return trace.source();
        }
        String pid = s.pid(row) == SampleStore.UNKNOWN ? "" : Integer.toString(s.pid(row));
        String ids = split == Split.PROCESS ? (pid.isEmpty() ? "?" : pid)
                : (pid.isEmpty() ? "" : pid + "/") + (s.tid(row) == SampleStore.UNKNOWN ? "?" : s.tid(row));
        return (comm == null ? "" : comm + " ") + ids;
    }

    /** The event written: the named one, else the first event that has samples (-1 when none). */
    private static int event(Trace trace, Options options) {
        if (options.event() != null) {
            return trace.events().indexOf(options.event());
        }
        SampleStore s = trace.samples();
        int first = Integer.MAX_VALUE;
        for (int row = 0; row < s.size(); row++) {
            first = Math.min(first, s.event(row));
        }
        return first == Integer.MAX_VALUE ? -1 : first;
    }
}
