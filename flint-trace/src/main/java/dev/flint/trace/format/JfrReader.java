package dev.flint.trace.format;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.StackTable;
import dev.flint.trace.model.Trace;
import dev.flint.trace.model.TraceBuilder;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JDK Flight Recorder file (from {@code -XX:StartFlightRecording}, {@code jcmd JFR.dump} or
 * {@code jdk.jfr.Recording}) into a {@link Trace} of format {@code jfr}, streaming it with
 * {@link RecordingFile#readEvent()}: memory grows with the distinct stacks and a fixed row per
 * sample, never with the whole file.
 *
 * <h2>Events</h2>
 * Three JFR event types become samples, each its own event of the trace, named as JFR names it:
 * <ul>
 *   <li>{@code jdk.ExecutionSample}: a thread running Java code (thread field {@code sampledThread});
 *   <li>{@code jdk.NativeMethodSample}: a thread in native code, running <em>or waiting</em> (a thread
 *       blocked in {@code accept()} is sampled too), so it is kept apart from the CPU samples rather
 *       than merged into them, and never marked idle: the event tells running from waiting apart no
 *       better than that;
 *   <li>{@code jdk.CPUTimeSample} (JDK 25, JEP 509, Linux): a per-thread CPU-time timer, Java and
 *       native code alike (thread field {@code eventThread}; also {@code samplingPeriod},
 *       {@code failed}, {@code biased}, checked with {@code jfr metadata} on Temurin 25.0.3).
 *       {@code jdk.CPUTimeSamplesLost} is summed into metadata {@code jdk.CPUTimeSamplesLost}.
 * </ul>
 * Every other event is read only for metadata.
 *
 * <h2>Rows</h2>
 * <ul>
 *   <li><b>time</b>: the event's {@code startTime} in nanoseconds since the epoch. JFR's clock is the
 *       <b>wall clock</b> (its ticks are converted with each chunk's wall-clock start), and metadata
 *       {@code clock} says {@code wall}. Note for aligning with perf: {@code perf record -k mono}
 *       timestamps are {@code CLOCK_MONOTONIC}, the clock of {@link System#nanoTime()}, not this one;
 *       to put both on one axis, measure {@code wall - mono} once in the profiled JVM (for example
 *       {@code System.currentTimeMillis()} against {@code System.nanoTime()} at start) and subtract it.
 *   <li><b>pid</b>: the recording JVM's pid from {@code jdk.JVMInformation} (field {@code pid}), also
 *       metadata {@code pid}; {@link SampleStore#UNKNOWN} when the file does not say, or when it holds
 *       chunks of several JVMs (then metadata {@code pids} lists them, and the thread ids may clash).
 *   <li><b>tid</b>: the thread's OS thread id ({@link RecordedThread#getOSThreadId()}); its Java thread
 *       id when the OS id is absent (0 or less, as for a virtual thread); else unknown.
 *   <li><b>cpu</b>: unknown (JFR does not record it). <b>count</b>: 1.
 *   <li><b>weight</b>: the sampling period in nanoseconds when it is known, else 1 (the count, as for
 *       inputs without periods); metadata {@code <event>.weight} says which ({@code ns},
 *       {@code count}, or {@code mixed}). For {@code jdk.CPUTimeSample} it is the event's own
 *       {@code samplingPeriod}: the throttle period, now and then a multiple of it (10 and 15 ms were
 *       seen on a few events of a 5 ms recording). For the other two it is the event type's
 *       {@code period} from the {@code jdk.ActiveSetting} events; when several recordings asked for
 *       different periods, the shortest, which is the one JFR samples at. The settings are applied at
 *       the end, because JFR writes them anywhere in a chunk, often after the samples; a recording
 *       that did not enable {@code jdk.ActiveSetting} (a bare {@code new Recording()}) has no
 *       periods, so its weights are counts. {@code jdk.ExecutionSample}'s period is a wall-clock
 *       interval between sampling rounds, and HotSpot samples at most a few threads a round, so with
 *       many busy threads the weight of a sample overstates the CPU time it stands for.
 *   <li><b>stack</b>, root first: the thread's Java name as a {@link FrameKind#PROCESS} frame (the
 *       per-thread root of async-profiler's {@code -t} output), then, when JFR cut the stack at its
 *       depth limit ({@link RecordedStackTrace#isTruncated()}, 64 frames by default,
 *       {@code -XX:FlightRecorderOptions:stackdepth=N}), a synthetic {@code [truncated]} frame (kind
 *       PROCESS: it is no code), so that the cut stacks gather under one node instead of posing as
 *       roots; then the frames from the outermost caller to the leaf. A sample without a stack (a
 *       {@code jdk.CPUTimeSample} whose walk {@code failed}) keeps its thread and gets one synthetic
 *       {@code [no stack]} frame, so that CPU totals stay whole.
 *   <li><b>frame name</b>: {@code package.Class.method}, the binary class name, a dot and the method
 *       name, as async-profiler's collapsed output writes it ({@code Burn.hash}): no descriptor (so
 *       overloads fold together, as there) and no line number. The module is "".
 *   <li><b>kind</b>, from {@link RecordedFrame#getType()}: {@code Interpreted} INTERPRETED,
 *       {@code JIT compiled} JIT, {@code Inlined} INLINED, {@code Native} NATIVE; also
 *       {@code Kernel} KERNEL and {@code C++} NATIVE, names async-profiler's JFR output is said to use
 *       (not tried here); anything else (compiler-specific names such as {@code C1 compiled}) JIT.
 * </ul>
 *
 * <h2>Metadata</h2>
 * {@code format} ({@code jfr}), {@code clock} ({@code wall}), {@code pid} (or {@code pids}),
 * {@code jvm.name}, {@code jvm.version}, {@code jvm.arguments}, {@code jvm.flags},
 * {@code java.arguments}, {@code jvm.start} (ISO-8601) from {@code jdk.JVMInformation};
 * {@code recording.start}, {@code recording.end} (ISO-8601) and {@code recording.startNanos},
 * {@code recording.endNanos} (epoch ns, the clock of the sample times) from the chunk headers;
 * {@code recording.chunks}, {@code jfr.version}; the sampling settings as JFR wrote them
 * ({@code jdk.ExecutionSample#period}, {@code jdk.NativeMethodSample#period},
 * {@code jdk.CPUTimeSample#throttle}) and {@code <event>.weight}; counts of {@code stacks.truncated},
 * {@code stacks.missing} and {@code jdk.CPUTimeSamplesLost}; and {@code warning} when the file holds
 * no sample events.
 *
 * <h2>Errors</h2>
 * A file that is not JFR, is cut short or is corrupt is a {@link TraceFormatException} (line number
 * 0) saying what failed; an {@link IOException} only when the file cannot be read (missing, no
 * permission, a read error).
 */
public final class JfrReader {

    /** The format name of the traces this reader builds. */
    public static final String FORMAT = "jfr";

    public static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
    public static final String NATIVE_METHOD_SAMPLE = "jdk.NativeMethodSample";
    public static final String CPU_TIME_SAMPLE = "jdk.CPUTimeSample";

    /** The synthetic frame below the thread of a stack JFR cut at its depth limit. */
    public static final String TRUNCATED_FRAME = "[truncated]";
    /** The synthetic frame of a sample without a stack trace. */
    public static final String NO_STACK_FRAME = "[no stack]";

    private static final String CPU_TIME_SAMPLES_LOST = "jdk.CPUTimeSamplesLost";
    private static final String ACTIVE_SETTING = "jdk.ActiveSetting";
    private static final String JVM_INFORMATION = "jdk.JVMInformation";

    /** Caches keyed by the consumer's objects are dropped past this size (they are per chunk anyway). */
    private static final int CACHE_LIMIT = 1 << 16;

    private static final Pattern TIMESPAN =
            Pattern.compile("\\s*(\\d+)\\s*(ns|us|\u00b5s|ms|s|m|min|h|d)\\s*", Pattern.CASE_INSENSITIVE);

    private JfrReader() {}

    /** Reads {@code file}; see the class comment for what becomes of each event. */
    public static Trace read(Path file) throws IOException, TraceFormatException {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw new TraceFormatException(source, 0, null, "not a JFR recording: it is a directory");
        }
        List<JfrChunks.Chunk> chunks = JfrChunks.scan(file, source);
        Parse parse = new Parse(source);
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                parse.event(recording.readEvent());
            }
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException | RuntimeException | InternalError e) {
            // jdk.jfr's parser throws InternalError for some damaged type tables ("... is not a valid Java type").
            TraceFormatException failure = new TraceFormatException(source, 0, null,
                    "corrupt JFR recording: the JFR parser failed after " + parse.eventsRead + " events: "
                            + describe(e));
            failure.initCause(e);
            throw failure;
        }
        return parse.build(chunks);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (e instanceof IOException && message != null && !message.isBlank()) {
            return message;
        }
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " " + message);
    }

    /** What one event type is to this reader, looked up once per type per chunk. */
    private record TypeInfo(Role role, long jfrId, String name, String threadField, boolean hasPeriodField) {}

    private enum Role { SAMPLE, SETTING, JVM_INFO, CPU_LOST, OTHER }

    /** The thread of a sample, resolved once per thread object. */
    private record ThreadInfo(int frame, int tid) {}

    /** The state of one read. */
    private static final class Parse {

        private final TraceBuilder builder;
        private final Map<EventType, TypeInfo> types = new IdentityHashMap<>();
        private final Map<RecordedThread, ThreadInfo> threads = new IdentityHashMap<>();
        private final Map<RecordedStackTrace, int[]> stackFrames = new IdentityHashMap<>();
        private final Map<RecordedMethod, String> methodNames = new IdentityHashMap<>();
        private final Rows rows = new Rows();

        /** The shortest period asked for, per JFR event type id, in ns. */
        private final Map<Long, Long> periods = new HashMap<>();
        /** The period and throttle values as written, per JFR event type id and setting name. */
        private final Map<Long, Map<String, Set<String>>> settingValues = new HashMap<>();
        private final Map<Long, String> sampleTypeNames = new HashMap<>();
        /** The trace's event names by id, as the builder numbers them. */
        private final List<String> eventNames = new ArrayList<>();
        private final Set<Long> pids = new LinkedHashSet<>();
        private final Map<String, String> jvm = new LinkedHashMap<>();

        private int[] noStack;
        private long eventsRead;
        private long truncated;
        private long missing;
        private long cpuSamplesLost;

        Parse(String source) {
            builder = new TraceBuilder(FORMAT, source);
        }

        void event(RecordedEvent event) {
            eventsRead++;
            EventType type = event.getEventType();
            TypeInfo info = types.get(type);
            if (info == null) {
                info = classify(type, event);
                if (types.size() >= CACHE_LIMIT) {
                    types.clear();
                }
                types.put(type, info);
            }
            switch (info.role()) {
                case SAMPLE -> sample(info, event);
                case SETTING -> setting(event);
                case JVM_INFO -> jvmInformation(event);
                case CPU_LOST -> {
                    if (event.hasField("lostSamples")) {
                        cpuSamplesLost += event.getLong("lostSamples");
                    }
                }
                case OTHER -> { }
            }
        }

        private TypeInfo classify(EventType type, RecordedEvent event) {
            String name = type.getName();
            Role role = switch (name) {
                case EXECUTION_SAMPLE, NATIVE_METHOD_SAMPLE, CPU_TIME_SAMPLE -> Role.SAMPLE;
                case ACTIVE_SETTING -> Role.SETTING;
                case JVM_INFORMATION -> Role.JVM_INFO;
                case CPU_TIME_SAMPLES_LOST -> Role.CPU_LOST;
                default -> Role.OTHER;
            };
            String threadField = event.hasField("sampledThread") ? "sampledThread"
                    : event.hasField("eventThread") ? "eventThread" : null;
            boolean hasPeriod = name.equals(CPU_TIME_SAMPLE) && event.hasField("samplingPeriod");
            if (role == Role.SAMPLE) {
                sampleTypeNames.put(type.getId(), name);
            }
            return new TypeInfo(role, type.getId(), name, threadField, hasPeriod);
        }

        private void sample(TypeInfo info, RecordedEvent event) {
            Instant start = event.getStartTime();
            long time = start.getEpochSecond() * 1_000_000_000L + start.getNano();
            long weight = 0;
            if (info.hasPeriodField()) {
                Duration period = event.getDuration("samplingPeriod");
                weight = period == null || period.isNegative() ? 0 : saturatedNanos(period);
            }
            RecordedThread thread = info.threadField() == null ? null : event.getThread(info.threadField());
            ThreadInfo t = thread(thread);
            RecordedStackTrace trace = event.getStackTrace();
            int[] frames = trace == null ? null : frames(trace);
            if (frames == null || frames.length == 0) {
                if (noStack == null) {
                    noStack = new int[] {builder.frame(NO_STACK_FRAME, "", FrameKind.PROCESS)};
                }
                frames = noStack;
                missing++;
            } else if (trace.isTruncated()) {
                truncated++;
            }
            int stack = builder.stack(StackTable.ROOT, t.frame());
            for (int frame : frames) {
                stack = builder.stack(stack, frame);
            }
            int eventId = builder.event(info.name());
            if (eventId == eventNames.size()) {
                eventNames.add(info.name());
            }
            rows.add(time, eventId, info.jfrId(), t.tid(), stack, weight);
        }

        private ThreadInfo thread(RecordedThread thread) {
            ThreadInfo info = thread == null ? null : threads.get(thread);
            if (info != null) {
                return info;
            }
            String name = null;
            int tid = SampleStore.UNKNOWN;
            if (thread != null) {
                name = thread.getJavaName();
                if (name == null || name.isEmpty()) {
                    name = thread.getOSName();
                }
                long os = thread.getOSThreadId();
                long java = thread.getJavaThreadId();
                long id = os > 0 ? os : java > 0 ? java : -1;
                tid = id > 0 && id <= Integer.MAX_VALUE ? (int) id : SampleStore.UNKNOWN;
            }
            if (name == null || name.isEmpty()) {
                name = "[unknown thread]";
            }
            info = new ThreadInfo(builder.frame(name, "", FrameKind.PROCESS), tid);
            if (thread != null) {
                if (threads.size() >= CACHE_LIMIT) {
                    threads.clear();
                }
                threads.put(thread, info);
            }
            return info;
        }

        /** The frame ids of a stack trace, root first, with the truncation mark; cached per trace object. */
        private int[] frames(RecordedStackTrace trace) {
            int[] ids = stackFrames.get(trace);
            if (ids != null) {
                return ids;
            }
            List<RecordedFrame> frames = trace.getFrames();
            int n = frames.size();
            int extra = trace.isTruncated() && n > 0 ? 1 : 0;
            ids = new int[n + extra];
            if (extra == 1) {
                ids[0] = builder.frame(TRUNCATED_FRAME, "", FrameKind.PROCESS);
            }
            for (int i = 0; i < n; i++) {
                RecordedFrame frame = frames.get(n - 1 - i); // index 0 is the leaf
                ids[extra + i] = builder.frame(name(frame.getMethod()), "", kind(frame.getType()));
            }
            if (stackFrames.size() >= CACHE_LIMIT) {
                stackFrames.clear();
                methodNames.clear();
            }
            stackFrames.put(trace, ids);
            return ids;
        }

        private String name(RecordedMethod method) {
            if (method == null) {
                return "[unknown]";
            }
            String name = methodNames.get(method);
            if (name == null) {
                String methodName = method.getName();
                String typeName = method.getType() == null ? null : method.getType().getName();
                methodName = methodName == null || methodName.isEmpty() ? "[unknown]" : methodName;
                name = typeName == null || typeName.isEmpty() ? methodName : typeName + "." + methodName;
                methodNames.put(method, name);
            }
            return name;
        }

        private void setting(RecordedEvent event) {
            if (!event.hasField("id") || !event.hasField("name") || !event.hasField("value")) {
                return;
            }
            long id = event.getLong("id");
            String setting = event.getString("name");
            String value = event.getString("value");
            if (setting == null || value == null) {
                return;
            }
            if (setting.equals("period") || setting.equals("throttle")) {
                settingValues.computeIfAbsent(id, k -> new LinkedHashMap<>())
                        .computeIfAbsent(setting, k -> new LinkedHashSet<>()).add(value);
                long nanos = timespanNanos(value); // 0 for "everyChunk", or a throttle given as a rate ("100/s")
                if (nanos > 0) {
                    periods.merge(id, nanos, Math::min);
                }
            }
        }

        private void jvmInformation(RecordedEvent event) {
            if (event.hasField("pid")) {
                pids.add(event.getLong("pid"));
            }
            if (!jvm.isEmpty()) {
                return; // the first JVM's description; several JVMs show in "pids"
            }
            putString(event, "jvmName", "jvm.name");
            putString(event, "jvmVersion", "jvm.version");
            putString(event, "jvmArguments", "jvm.arguments");
            putString(event, "jvmFlags", "jvm.flags");
            putString(event, "javaArguments", "java.arguments");
            if (event.hasField("jvmStartTime")) {
                Instant start = event.getInstant("jvmStartTime");
                if (start != null) {
                    jvm.put("jvm.start", start.toString());
                }
            }
        }

        private void putString(RecordedEvent event, String field, String key) {
            if (event.hasField(field)) {
                String value = event.getString(field);
                if (value != null && !value.isEmpty()) {
                    jvm.put(key, value);
                }
            }
        }

        Trace build(List<JfrChunks.Chunk> chunks) {
            int pid = SampleStore.UNKNOWN;
            if (pids.size() == 1) {
                long only = pids.iterator().next();
                pid = only > 0 && only <= Integer.MAX_VALUE ? (int) only : SampleStore.UNKNOWN;
            }
            Map<Integer, String> weightUnits = new HashMap<>();
            for (int i = 0; i < rows.size; i++) {
                long weight = rows.weights[i];
                if (weight <= 0) {
                    weight = periods.getOrDefault(rows.types[i], 0L);
                }
                String unit = weight > 0 ? "ns" : "count";
                weightUnits.merge(rows.events[i], unit, (a, b) -> a.equals(b) ? a : "mixed");
                builder.sample(rows.times[i], pid, rows.tids[i], SampleStore.UNKNOWN, rows.events[i], 1,
                        weight > 0 ? weight : 1, rows.stacks[i], false);
            }
            metadata(chunks);
            weightUnits.forEach((event, unit) -> builder.metadata(eventNames.get(event) + ".weight", unit));
            return builder.build();
        }

        private void metadata(List<JfrChunks.Chunk> chunks) {
            builder.metadata("format", FORMAT);
            builder.metadata("clock", "wall");
            if (pids.size() == 1) {
                builder.metadata("pid", Long.toString(pids.iterator().next()));
            } else if (pids.size() > 1) {
                builder.metadata("pids", String.join(",", pids.stream().map(String::valueOf).toList()));
            }
            jvm.forEach(builder::metadata);
            long start = Long.MAX_VALUE;
            long end = Long.MIN_VALUE;
            for (JfrChunks.Chunk chunk : chunks) {
                start = Math.min(start, chunk.startNanos());
                end = Math.max(end, chunk.endNanos());
            }
            builder.metadata("recording.start", instant(start).toString());
            builder.metadata("recording.end", instant(end).toString());
            builder.metadata("recording.startNanos", Long.toString(start));
            builder.metadata("recording.endNanos", Long.toString(end));
            builder.metadata("recording.chunks", Integer.toString(chunks.size()));
            JfrChunks.Chunk first = chunks.get(0);
            builder.metadata("jfr.version", first.major() + "." + first.minor());
            settingValues.forEach((id, settings) -> {
                String name = sampleTypeNames.get(id);
                if (name != null) {
                    settings.forEach((setting, values) -> builder.metadata(name + "#" + setting,
                            String.join(",", values)));
                }
            });
            if (truncated > 0) {
                builder.metadata("stacks.truncated", Long.toString(truncated));
            }
            if (missing > 0) {
                builder.metadata("stacks.missing", Long.toString(missing));
            }
            if (cpuSamplesLost > 0) {
                builder.metadata(CPU_TIME_SAMPLES_LOST, Long.toString(cpuSamplesLost));
            }
            if (rows.size == 0) {
                builder.metadata("warning", "the recording holds no " + EXECUTION_SAMPLE + ", " + NATIVE_METHOD_SAMPLE
                        + " or " + CPU_TIME_SAMPLE + " events: was method profiling on (settings=profile, or "
                        + EXECUTION_SAMPLE + "#period=5ms)?");
            }
        }
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L));
    }

    static FrameKind kind(String type) {
        if (type == null) {
            return FrameKind.JIT;
        }
        return switch (type) {
            case "Interpreted" -> FrameKind.INTERPRETED;
            case "JIT compiled" -> FrameKind.JIT;
            case "Inlined" -> FrameKind.INLINED;
            case "Native", "C++" -> FrameKind.NATIVE;
            case "Kernel" -> FrameKind.KERNEL;
            default -> FrameKind.JIT;
        };
    }

    /** A JFR timespan setting such as {@code "5 ms"} or {@code "20ms"} in ns; 0 for anything else ("everyChunk", "100/s"). */
    static long timespanNanos(String value) {
        Matcher m = TIMESPAN.matcher(value);
        if (!m.matches()) {
            return 0;
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return 0;
        }
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ns" -> 1L;
            case "us", "\u00b5s" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m", "min" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
        };
        return amount > Long.MAX_VALUE / unit ? Long.MAX_VALUE : amount * unit;
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Sample rows held until the end, when the sampling periods and the pid are known. */
    private static final class Rows {
        long[] times = new long[1024];
        long[] weights = new long[1024];
        long[] types = new long[1024];
        int[] events = new int[1024];
        int[] tids = new int[1024];
        int[] stacks = new int[1024];
        int size;

        void add(long time, int event, long type, int tid, int stack, long weight) {
            if (size == times.length) {
                int n = size * 2;
                times = Arrays.copyOf(times, n);
                weights = Arrays.copyOf(weights, n);
                types = Arrays.copyOf(types, n);
                events = Arrays.copyOf(events, n);
                tids = Arrays.copyOf(tids, n);
                stacks = Arrays.copyOf(stacks, n);
            }
            times[size] = time;
            weights[size] = weight;
            types[size] = type;
            events[size] = event;
            tids[size] = tid;
            stacks[size] = stack;
            size++;
        }
    }
}
