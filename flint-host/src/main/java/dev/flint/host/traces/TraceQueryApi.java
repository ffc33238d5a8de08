package dev.flint.host.traces;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.flint.host.traces.TraceHttp.Params;
import dev.flint.host.traces.TraceHttp.Problem;
import dev.flint.trace.export.CollapseNames;
import dev.flint.trace.export.FoldedWriter;
import dev.flint.trace.export.SpeedscopeWriter;
import dev.flint.trace.export.SvgFlameGraph;
import dev.flint.trace.export.TraceJson;
import dev.flint.trace.model.Trace;
import dev.flint.trace.query.Differential;
import dev.flint.trace.query.EventChoice;
import dev.flint.trace.query.FlameGraph;
import dev.flint.trace.query.FlameGraphs;
import dev.flint.trace.query.HeatMap;
import dev.flint.trace.query.Invocation;
import dev.flint.trace.query.InvocationHeatMap;
import dev.flint.trace.query.Measure;
import dev.flint.trace.query.NameNormalizer;
import dev.flint.trace.query.SampleFilter;
import io.vertx.core.http.HttpServerRequest;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The trace engine's queries over HTTP, each on the cached, parsed trace ({@link TraceCache}), never
 * by reading the file again: {@code GET /admin/traces/{id}/<view>} for the views
 * <ul>
 *   <li>{@code heatmap}: FlameScope's sub-second heat map ({@link TraceJson#heatMap}); {@code rows}
 *       (default 50, at most 1000), {@code measure=samples|weight}, {@code axis=selection|trace};</li>
 *   <li>{@code flamegraph}: {@link TraceJson#flameGraph} of a selection; {@code minWidth} (default
 *       0.001), {@code measure};</li>
 *   <li>{@code invocations}: the stored invocation marks, and with {@code heatmap=true} the invocation
 *       heat map ({@code rows} or {@code bucketMs}, {@code measure}); {@code function=} keeps the
 *       marks of one function;</li>
 *   <li>{@code diff}: {@link TraceJson#differential} of A (this trace) and B ({@code with=<id>},
 *       default this trace again): {@code start}/{@code end} and {@code withStart}/{@code withEnd},
 *       {@code invocations}/{@code withInvocations}, {@code pid}/{@code withPid},
 *       {@code tid}/{@code withTid}, {@code normalize=total|per_invocation}, {@code delta=self|total},
 *       {@code names=none|cross_machine} (default: cross_machine between two traces), {@code measure},
 *       {@code minWidth};</li>
 *   <li>exports: {@code folded} (text/plain, {@link FoldedWriter}: {@code counts=true},
 *       {@code annotate=pid,tid,kernel,jit,all}, {@code event}; a trace that was not perf script text
 *       keeps its frame names as they are), {@code svg} (image/svg+xml, the flame
 *       graph of the same selection and options as {@code flamegraph}, and {@code width}, {@code title}),
 *       {@code speedscope} (application/json, {@code split=thread|process|none},
 *       {@code measure=weight} for nanoseconds, {@code event}). Folded and speedscope are the whole trace.</li>
 * </ul>
 * A selection is {@code start}/{@code end} (seconds from the trace's first whole second, as
 * FlameScope counts them; half-open), {@code pid}, {@code tid} (comma-separated), {@code event}
 * (a name, or {@code all}; default the trace's first), {@code idle=true}, and
 * {@code invocations=id1,id2} (or {@code all}) from the stored marks.
 *
 * <p>Errors: 404 for an unknown id, 400 for a bad or unknown parameter (naming it) and for a query the
 * engine cannot run (a heat map of a trace without timestamps), 416 for a range outside the trace or
 * with its start after its end, as FlameScope answers.
 */
final class TraceQueryApi {

    /** The views, in the order links list them. */
    static final List<String> VIEWS = List.of("heatmap", "flamegraph", "invocations", "diff", "folded", "svg",
            "speedscope");

    private static final JsonFactory JSON = new JsonFactory();
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int MAX_ROWS = 1000;
    private static final Set<String> SELECTION = Set.of("start", "end", "pid", "tid", "event", "idle", "invocations");

    private final TraceStore store;
    private final TraceCache cache;
    private final Executor executor;

    TraceQueryApi(TraceStore store, TraceCache cache, Executor executor) {
        this.store = store;
        this.cache = cache;
        this.executor = executor;
    }

    /** Answers {@code GET /admin/traces/{id}/{view}}; {@code view} as the URL spelled it. */
    void view(HttpServerRequest request, String id, String view) {
        String v = view.toLowerCase(Locale.ROOT);
        switch (v) {
            case "heatmap" -> heatmap(request, id);
            case "flamegraph" -> flamegraph(request, id);
            case "invocations" -> invocations(request, id);
            case "diff" -> diff(request, id);
            case "folded" -> folded(request, id);
            case "svg" -> svg(request, id);
            case "speedscope" -> speedscope(request, id);
            default -> TraceHttp.error(request, 404, "no view \"" + TraceLabels.printable(view) + "\" of a trace; the views are "
                    + String.join(", ", VIEWS));
        }
    }

    private void heatmap(HttpServerRequest request, String id) {
        Params p = params(request, "rows", "measure", "axis");
        TraceHttp.stream(executor, request, "application/json; charset=utf-8", out -> {
            Loaded t = load(id);
            HeatMap.Options options = new HeatMap.Options(p.integer("rows", HeatMap.DEFAULT_ROWS, 1, MAX_ROWS),
                    measure(p), p.choice("axis", "selection", "selection", "trace").equals("trace")
                    ? HeatMap.Axis.TRACE : HeatMap.Axis.SELECTION);
            HeatMap map = HeatMap.of(t.trace, filter(p, t, ""), options);
            TraceJson.heatMap(map, out);
        });
    }

    private void flamegraph(HttpServerRequest request, String id) {
        Params p = params(request, "minWidth", "measure");
        TraceHttp.stream(executor, request, "application/json; charset=utf-8", out -> {
            Loaded t = load(id);
            TraceJson.flameGraph(flameGraph(p, t), out);
        });
    }

    private void svg(HttpServerRequest request, String id) {
        Params p = params(request, "minWidth", "measure", "width", "title");
        TraceHttp.stream(executor, request, "image/svg+xml; charset=utf-8", out -> {
            Loaded t = load(id);
            FlameGraph graph = flameGraph(p, t);
            String title = p.string("title") != null ? p.string("title") : t.entry.name() + " (" + t.entry.id() + ")";
            SvgFlameGraph.Options options = SvgFlameGraph.Options.DEFAULT.withTitle(title)
                    .withWidth(p.integer("width", SvgFlameGraph.Options.DEFAULT.width(), 100, 100_000));
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            SvgFlameGraph.write(graph, options, writer);
            writer.flush();
        });
    }

    private FlameGraph flameGraph(Params p, Loaded t) {
        FlameGraphs.Options options = new FlameGraphs.Options(measure(p),
                p.fraction("minWidth", FlameGraphs.Options.DEFAULT.minWidth()));
        return FlameGraphs.build(t.trace, filter(p, t, ""), options);
    }

    private void folded(HttpServerRequest request, String id) {
        Params p = new Params(request, Set.of("counts", "annotate", "event"));
        TraceHttp.stream(executor, request, "text/plain; charset=utf-8", out -> {
            Loaded t = load(id);
            CollapseNames.Options names = CollapseNames.Options.DEFAULT;
            List<String> annotate = p.list("annotate");
            for (String a : annotate == null ? List.<String>of() : annotate) {
                names = switch (a.toLowerCase(Locale.ROOT)) {
                    case "pid" -> names.withPid();
                    case "tid" -> names.withTid();
                    case "kernel" -> names.withKernel();
                    case "jit" -> names.withJit();
                    case "all" -> names.withAll();
                    default -> throw TraceHttp.badParameter("annotate", p.string("annotate"),
                            "a comma-separated list of pid, tid, kernel, jit, all");
                };
            }
            if (!t.trace.format().equals("perf-script")) {
                // stackcollapse-perf.pl's naming is for perf script input; applied to folded or JFR frames,
                // FoldedWriter drops them all. Their names are already what a folded line holds.
                names = names.withRawNames();
            }
            FoldedWriter.Options options = FoldedWriter.Options.DEFAULT.withNames(names);
            if (p.flag("counts")) {
                options = options.withCounts();
            }
            String event = p.string("event");
            if (event != null) {
                checkEvent(t.trace, event);
                options = options.withEventFilter(event);
            }
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            FoldedWriter.write(t.trace, options, writer, warning -> { });
            writer.flush();
        });
    }

    private void speedscope(HttpServerRequest request, String id) {
        Params p = new Params(request, Set.of("split", "measure", "event"));
        TraceHttp.stream(executor, request, "application/json; charset=utf-8", out -> {
            Loaded t = load(id);
            SpeedscopeWriter.Options options = SpeedscopeWriter.Options.DEFAULT.withSplit(
                    SpeedscopeWriter.Split.valueOf(p.choice("split", "thread", "thread", "process", "none")
                            .toUpperCase(Locale.ROOT)));
            if (measure(p) == Measure.WEIGHT) {
                options = options.withNanoseconds();
            }
            String event = p.string("event");
            if (event != null) {
                checkEvent(t.trace, event);
                options = options.withEvent(event);
            }
            SpeedscopeWriter.write(t.trace, options, out);
        });
    }

    private void invocations(HttpServerRequest request, String id) {
        Params p = params(request, "heatmap", "rows", "bucketMs", "measure", "function");
        TraceHttp.stream(executor, request, "application/json; charset=utf-8", out -> {
            Loaded t = load(id);
            String function = p.string("function");
            List<InvocationMark> marks = new ArrayList<>();
            for (InvocationMark m : selectedMarks(p, t, "invocations", t.marks)) {
                if (function == null || function.equalsIgnoreCase(m.function())) {
                    marks.add(m);
                }
            }
            InvocationHeatMap map = null;
            if (p.flag("heatmap")) {
                InvocationHeatMap.Options options = InvocationHeatMap.Options.DEFAULT.withMeasure(measure(p));
                Double bucket = p.decimal("bucketMs");
                if (bucket != null) {
                    if (bucket <= 0) {
                        throw TraceHttp.badParameter("bucketMs", p.string("bucketMs"), "a positive number of milliseconds");
                    }
                    options = options.withBucketMillis(bucket);
                } else {
                    options = options.withRows(p.integer("rows", InvocationHeatMap.DEFAULT_ROWS, 1, MAX_ROWS));
                }
                SampleFilter filter = filter(p, t, "").withInvocations(List.of()); // the columns are the marks
                map = InvocationHeatMap.of(t.trace, filter, marks.stream().map(InvocationMark::toInvocation).toList(),
                        options);
            }
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("id", t.entry.id());
                g.writeNumberField("count", marks.size());
                g.writeArrayFieldStart("invocations");
                for (InvocationMark m : marks) {
                    g.writeStartObject();
                    g.writeStringField("id", m.id());
                    g.writeNumberField("startNanos", m.startNanos());
                    g.writeNumberField("endNanos", m.endNanos());
                    g.writeNumberField("durationNanos", m.durationNanos());
                    g.writeNumberField("pid", m.pid());
                    g.writeStringField("function", m.function());
                    g.writeStringField("status", m.status());
                    g.writeEndObject();
                }
                g.writeEndArray();
                if (map != null) {
                    g.writeFieldName("heatmap");
                    invocationHeatMap(g, map);
                }
                g.writeEndObject();
            }
        });
    }

    /** The invocation heat map in the shape of {@link TraceJson#heatMap}, a column per invocation. */
    private static void invocationHeatMap(JsonGenerator g, InvocationHeatMap map) throws java.io.IOException {
        g.writeStartObject();
        g.writeNumberField("bucketNanos", map.bucketNanos());
        g.writeArrayFieldStart("rows");
        for (double offset : map.rowOffsetsMs()) {
            g.writeNumber(offset);
        }
        g.writeEndArray();
        g.writeNumberField("columns", map.invocations().size());
        g.writeArrayFieldStart("invocations");
        for (Invocation v : map.invocations()) {
            g.writeString(v.id());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("values");
        for (long[] column : map.values()) {
            g.writeArray(column, 0, column.length);
        }
        g.writeEndArray();
        g.writeFieldName("totals");
        g.writeArray(map.totals(), 0, map.totals().length);
        g.writeFieldName("durationNanos");
        g.writeArray(map.durationNanos(), 0, map.durationNanos().length);
        g.writeNumberField("maxvalue", map.maxValue());
        g.writeNumberField("samples", map.samples());
        g.writeNumberField("outside", map.outside());
        g.writeStringField("unit", map.unit());
        EventChoice event = map.event();
        g.writeObjectFieldStart("event");
        g.writeStringField("name", event.name());
        g.writeBooleanField("defaulted", event.defaulted());
        g.writeStringField("description", event.describe());
        g.writeEndObject();
        g.writeEndObject();
    }

    private void diff(HttpServerRequest request, String id) {
        Params p = new Params(request, Set.of("with", "start", "end", "withStart", "withEnd", "pid", "tid", "withPid",
                "withTid", "invocations", "withInvocations", "event", "idle", "normalize", "delta", "names", "measure",
                "minWidth"));
        TraceHttp.stream(executor, request, "application/json; charset=utf-8", out -> {
            Loaded a = load(id);
            String withId = p.string("with");
            Loaded b;
            if (withId == null || withId.equals(id)) {
                b = a;
            } else {
                try {
                    b = load(withId);
                } catch (Problem e) {
                    throw e.status == 404 ? new Problem(404, "no trace with the id \"" + TraceLabels.printable(withId)
                            + "\" (with=)") : e;
                }
            }
            boolean sameTrace = b == a;
            SampleFilter filterA = filter(p, a, "");
            // B's processes and threads are A's within one trace; another trace has its own.
            SampleFilter filterB = filter(p, b, "with");
            if (sameTrace && !p.has("withPid") && p.has("pid")) {
                filterB = filterB.withPids(p.ints("pid"));
            }
            if (sameTrace && !p.has("withTid") && p.has("tid")) {
                filterB = filterB.withTids(p.ints("tid"));
            }
            Differential.Normalization normalization = p.choice("normalize", "total", "total", "per_invocation")
                    .equals("total") ? Differential.Normalization.TOTAL : Differential.Normalization.PER_INVOCATION;
            Differential.Side sideA = Differential.Side.of(a.trace, filterA);
            Differential.Side sideB = Differential.Side.of(b.trace, filterB);
            if (normalization == Differential.Normalization.PER_INVOCATION) {
                sideA = sideA.withInvocations(invocationCount(filterA, a.marks));
                sideB = sideB.withInvocations(invocationCount(filterB, b.marks));
            }
            String names = p.choice("names", sameTrace ? "none" : "cross_machine", "none", "cross_machine");
            Differential.Options options = Differential.Options.DEFAULT
                    .withMeasure(measure(p))
                    .withNormalization(normalization)
                    .withDelta(p.choice("delta", "self", "self", "total").equals("self")
                            ? Differential.Delta.SELF : Differential.Delta.TOTAL)
                    .withNames(names.equals("none") ? NameNormalizer.NONE : NameNormalizer.CROSS_MACHINE)
                    .withMinWidth(p.fraction("minWidth", Differential.Options.DEFAULT.minWidth()));
            TraceJson.differential(Differential.compare(sideA, sideB, options), out);
        });
    }

    /**
     * The invocations a side stands for, for per-invocation normalisation: those it selects by id, or
     * else the stored marks that start inside its time range.
     */
    private static long invocationCount(SampleFilter filter, List<InvocationMark> marks) {
        if (!filter.invocations().isEmpty()) {
            return filter.invocations().size();
        }
        return marks.stream().filter(m -> m.startNanos() >= filter.startNanos() && m.startNanos() < filter.endNanos())
                .count();
    }

    // ---- selections

    /** The trace, its entry and its marks. */
    private record Loaded(TraceStore.Entry entry, Trace trace, List<InvocationMark> marks) {}

    private Loaded load(String id) throws Exception {
        TraceStore.Entry entry = store.get(id).orElseThrow(() -> TraceHttp.notFound(id));
        Trace trace = cache.get(id).orElseThrow(() -> TraceHttp.notFound(id));
        return new Loaded(entry, trace, store.invocations(id));
    }

    /** The view's parameters: its own, and those of a selection. */
    private static Params params(HttpServerRequest request, String... own) {
        Set<String> allowed = new HashSet<>(SELECTION);
        allowed.addAll(List.of(own));
        return new Params(request, allowed);
    }

    /**
     * The samples a request selects. {@code prefix} is "" for a trace's own parameters ({@code start},
     * {@code pid}) and "with" for side B of a diff ({@code withStart}, {@code withPid}); the event and
     * idle are the same for both.
     */
    private static SampleFilter filter(Params p, Loaded t, String prefix) {
        SampleFilter filter = SampleFilter.all();
        String invocationsParam = name(prefix, "invocations");
        if (p.has(invocationsParam)) {
            filter = filter.withInvocations(selectedMarks(p, t, invocationsParam, t.marks).stream()
                    .map(InvocationMark::toInvocation).toList());
        }
        filter = range(filter, t.trace, p, name(prefix, "start"), name(prefix, "end"));
        int[] pids = p.ints(name(prefix, "pid"));
        if (pids != null) {
            filter = filter.withPids(pids);
        }
        int[] tids = p.ints(name(prefix, "tid"));
        if (tids != null) {
            filter = filter.withTids(tids);
        }
        String event = p.string("event");
        if (event != null) {
            if (event.equals("all")) {
                filter = filter.withAllEvents();
            } else {
                checkEvent(t.trace, event);
                filter = filter.withEvent(event);
            }
        }
        return filter.withIdle(p.flag("idle"));
    }

    private static String name(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** The marks a parameter names ({@code id1,id2} or {@code all}); all marks when it is absent. */
    private static List<InvocationMark> selectedMarks(Params p, Loaded t, String param, List<InvocationMark> marks) {
        List<String> ids = p.list(param);
        if (ids == null) {
            return marks;
        }
        if (marks.isEmpty()) {
            throw new Problem(400, "bad parameter " + param + ": the trace " + t.entry.id()
                    + " has no invocation marks");
        }
        if (ids.equals(List.of("all"))) {
            return marks;
        }
        Map<String, InvocationMark> byId = new LinkedHashMap<>();
        for (InvocationMark m : marks) {
            byId.putIfAbsent(m.id(), m);
        }
        List<InvocationMark> selected = new ArrayList<>();
        for (String id : ids) {
            InvocationMark m = byId.get(id);
            if (m == null) {
                throw new Problem(400, "bad parameter " + param + ": the trace " + t.entry.id()
                        + " has no invocation \"" + TraceLabels.printable(id) + "\"");
            }
            selected.add(m);
        }
        return selected;
    }

    /**
     * {@code filter} with the range in FlameScope's seconds. A trace spans the seconds 0 to its heat
     * map's columns; a start or end outside that, or a start after the end, is a 416, as FlameScope
     * answers. Without an end the range runs to the last sample.
     */
    static SampleFilter range(SampleFilter filter, Trace trace, Params p, String startName, String endName) {
        Double start = p.decimal(startName);
        Double end = p.decimal(endName);
        if (start == null && end == null) {
            return filter;
        }
        if (!trace.timed()) {
            throw new Problem(400, "bad parameter " + (start != null ? startName : endName) + ": the trace ("
                    + trace.format() + ") has no timestamps, so it has no time range");
        }
        long origin = Math.floorDiv(trace.startNanos(), NANOS_PER_SECOND) * NANOS_PER_SECOND;
        long seconds = Math.max(1, Math.ceilDiv(trace.endNanos(), NANOS_PER_SECOND) - origin / NANOS_PER_SECOND);
        double from = start == null ? 0 : start;
        String span = "the trace spans 0 to " + seconds + " s";
        if (from < 0 || from > seconds) {
            throw new Problem(416, startName + "=" + p.string(startName) + " is outside the trace: " + span);
        }
        if (end != null && (end < 0 || end > seconds)) {
            throw new Problem(416, endName + "=" + p.string(endName) + " is outside the trace: " + span);
        }
        if (end != null && from > end) {
            throw new Problem(416, "bad range: " + startName + "=" + from + " is after " + endName + "=" + end);
        }
        long startNanos = origin + Math.round(from * NANOS_PER_SECOND);
        long endNanos = end == null ? SampleFilter.UNBOUNDED_END : origin + Math.round(end * NANOS_PER_SECOND);
        return filter.withRangeNanos(startNanos, endNanos);
    }

    private static void checkEvent(Trace trace, String event) {
        if (!trace.events().isEmpty() && !trace.events().contains(event)) {
            throw TraceHttp.badParameter("event", event, "one of the trace's events " + trace.events() + ", or all");
        }
    }

    private static Measure measure(Params p) {
        return p.choice("measure", "samples", "samples", "weight").equals("weight") ? Measure.WEIGHT : Measure.SAMPLES;
    }
}
