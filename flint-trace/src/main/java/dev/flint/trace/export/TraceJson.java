package dev.flint.trace.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.Trace;
import dev.flint.trace.query.DiffNode;
import dev.flint.trace.query.Differential;
import dev.flint.trace.query.EventChoice;
import dev.flint.trace.query.FlameGraph;
import dev.flint.trace.query.FlameNode;
import dev.flint.trace.query.HeatMap;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * The JSON of each query result, streamed with jackson-core: what {@code flint trace --json} prints
 * and what the query API answers. Field names are camelCase; a flame graph node is
 * {@code {"name","kind","module","self","total","children":[...]}} (FlameScope's tree, spelled out),
 * a heat map has FlameScope's {@code rows}, {@code columns}, {@code values[col][row]}, {@code maxvalue}.
 */
public final class TraceJson {

    private static final JsonFactory JSON = new JsonFactory();

    private TraceJson() {}

    /** The trace's summary: format, counts, events, time range, metadata. */
    public static void info(Trace trace, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("source", trace.source());
            g.writeStringField("format", trace.format());
            SampleStore samples = trace.samples();
            g.writeNumberField("rows", samples.size());
            g.writeNumberField("samples", samples.totalCount());
            g.writeNumberField("stacks", trace.stacks().size());
            g.writeNumberField("frames", trace.frames().size());
            g.writeBooleanField("timed", trace.timed());
            if (trace.timed()) {
                g.writeNumberField("startNanos", trace.startNanos());
                g.writeNumberField("endNanos", trace.endNanos());
            }
            g.writeArrayFieldStart("events");
            for (String event : trace.events()) {
                g.writeString(event);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("metadata");
            for (Map.Entry<String, String> entry : trace.metadata().entrySet()) {
                g.writeStringField(entry.getKey(), entry.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    public static void heatMap(HeatMap map, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("startSecond", map.startSecond());
            g.writeArrayFieldStart("rows");
            for (double offset : map.rowOffsetsMs()) {
                g.writeNumber(offset);
            }
            g.writeEndArray();
            g.writeNumberField("columns", map.columns());
            g.writeArrayFieldStart("values");
            for (long[] column : map.values()) {
                g.writeArray(column, 0, column.length);
            }
            g.writeEndArray();
            g.writeNumberField("maxvalue", map.maxValue());
            g.writeNumberField("samples", map.samples());
            g.writeStringField("unit", map.unit());
            event(g, "event", map.event());
            g.writeEndObject();
        }
    }

    public static void flameGraph(FlameGraph graph, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("unit", graph.unit());
            g.writeNumberField("samples", graph.samples());
            g.writeNumberField("minTotal", graph.minTotal());
            event(g, "event", graph.event());
            g.writeFieldName("root");
            node(g, graph.root());
            g.writeEndObject();
        }
    }

    private static void node(JsonGenerator g, FlameNode node) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", node.name());
        g.writeStringField("kind", node.kind() == null ? null : node.kind().wireName());
        if (!node.module().isEmpty()) {
            g.writeStringField("module", node.module());
        }
        g.writeNumberField("self", node.self());
        g.writeNumberField("total", node.total());
        if (node.prunedNodes() > 0) {
            g.writeNumberField("prunedNodes", node.prunedNodes());
        }
        if (!node.children().isEmpty()) {
            g.writeArrayFieldStart("children");
            for (FlameNode child : node.children()) {
                node(g, child);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    public static void differential(Differential diff, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("semantics", diff.semantics());
            g.writeStringField("normalization", diff.normalization().name().toLowerCase(java.util.Locale.ROOT));
            g.writeStringField("delta", diff.deltaOn().name().toLowerCase(java.util.Locale.ROOT));
            g.writeStringField("unit", diff.unit());
            g.writeNumberField("samplesA", diff.samplesA());
            g.writeNumberField("samplesB", diff.samplesB());
            event(g, "eventA", diff.eventA());
            event(g, "eventB", diff.eventB());
            g.writeFieldName("root");
            diffNode(g, diff.root());
            g.writeEndObject();
        }
    }

    private static void diffNode(JsonGenerator g, DiffNode node) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", node.name());
        g.writeStringField("kind", node.kind() == null ? null : node.kind().wireName());
        if (!node.module().isEmpty()) {
            g.writeStringField("module", node.module());
        }
        g.writeStringField("presence", node.presence().name().toLowerCase(java.util.Locale.ROOT));
        g.writeNumberField("selfA", node.selfA());
        g.writeNumberField("totalA", node.totalA());
        g.writeNumberField("selfB", node.selfB());
        g.writeNumberField("totalB", node.totalB());
        g.writeNumberField("delta", node.delta());
        if (node.prunedNodes() > 0) {
            g.writeNumberField("prunedNodes", node.prunedNodes());
        }
        if (!node.children().isEmpty()) {
            g.writeArrayFieldStart("children");
            for (DiffNode child : node.children()) {
                diffNode(g, child);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void event(JsonGenerator g, String field, EventChoice event) throws IOException {
        if (event == null) {
            return;
        }
        g.writeObjectFieldStart(field);
        g.writeStringField("name", event.name());
        g.writeBooleanField("defaulted", event.defaulted());
        g.writeStringField("description", event.describe());
        g.writeEndObject();
    }
}
