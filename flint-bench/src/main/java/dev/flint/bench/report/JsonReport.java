package dev.flint.bench.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flint.bench.result.BenchResult;
import dev.flint.bench.result.Mode;
import dev.flint.bench.result.RunSettings;
import dev.flint.bench.result.TargetResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A run as JSON, schema {@value #SCHEMA}, for other tools and for reading back
 * ({@code flint bench --json}, then reports or comparisons made later from the file).
 *
 * <h2>Schema {@value #SCHEMA}</h2>
 *
 * <pre>
 * {
 *   "schema": "flint-bench/1",
 *   "started": "2025-06-01T10:00:00.123Z",       ISO-8601 instant
 *   "settings": {
 *     "mode": "closed" | "rate",
 *     "connections": 64,                            per target
 *     "ratePerSecond": 1000.0,                      requests a second per target; 0 in closed mode
 *     "warmupSeconds": 5.0,
 *     "rampSeconds": 0.0,
 *     "durationSeconds": 30.0 | null,               null when the run is bounded by count
 *     "requestLimit": 0,                            measured requests per target; 0 when bounded by time
 *     "rounds": 3                                   interleaved rounds per target
 *   },
 *   "targets": [                                    in the order given; the first is the baseline
 *     {
 *       "name": "python", "url": "http://...", "method": "GET",
 *       "measuredSeconds": 30.000123,               wall time of the measured phase, all rounds
 *       "requests": 123456,                         answered requests (any status)
 *       "requestsPerSecond": 4115.2,                derived
 *       "bytesReceived": 12939000,                  response bytes, headers included
 *       "statuses": { "200": 123400, "503": 56 },   answered requests by HTTP status
 *       "errors": { "timeout": 3 },                 requests without an answer, by kind
 *       "failures": 59,                             derived: errors plus statuses of 400 and more
 *       "latencyMicros": {                          derived; each null when no request was answered
 *         "min": .., "p50": .., "p75": .., "p90": .., "p99": .., "p99.9": .., "p99.99": ..,
 *         "max": .., "mean": .., "stdev": ..
 *       },
 *       "latencyDistribution": [                    derived: HdrHistogram's percentile iteration,
 *         { "percentile": 0.0, "micros": 1000.447, "count": 10000 },    5 ticks per half distance
 *         ...,
 *         { "percentile": 100.0, "micros": 50003.967, "count": 10100 }
 *       ],
 *       "traceUrl": "http://..." | null,            the trace of the measured phase (--profile)
 *       "histogram": "HISTFAAAA..."                 the latency histogram (nanoseconds), lossless
 *     }
 *   ]
 * }
 * </pre>
 *
 * <ul>
 *   <li>Latencies are microseconds as doubles, and every field holding one says so
 *       ({@code latencyMicros}, {@code micros}). Percentiles are 0 to 100. Durations are seconds as
 *       doubles; flint reads them back to the nanosecond.</li>
 *   <li>{@code latencyDistribution}: {@code percentile} is the level iterated to, {@code micros} the
 *       highest latency equivalent to the recorded ones at that level, {@code count} the number of
 *       answered requests at or below it (cumulative), as the columns of an {@code .hgrm} file. The
 *       last entry is the maximum, at 100.</li>
 *   <li>{@code histogram} is HdrHistogram's compressed encoding
 *       ({@code encodeIntoCompressedByteBuffer}) of the latency histogram in nanoseconds, in standard
 *       base64 with padding: what {@code Histogram.decodeFromCompressedByteBuffer} reads, in any
 *       HdrHistogram implementation.</li>
 *   <li>Fields marked derived are written for readers other than flint; {@link #read} recomputes
 *       them from the others and ignores what the file says. Unknown fields are ignored too, so
 *       later versions of flint may add fields within {@value #SCHEMA}; a change in the meaning of a
 *       field gets a new schema name, and {@link #read} refuses schemas it does not know.</li>
 *   <li>{@code durationSeconds} and {@code traceUrl} may be null or absent; every other field
 *       {@link #read} uses is required.</li>
 * </ul>
 */
public final class JsonReport {

    /** The schema this class writes and the only one it reads. */
    public static final String SCHEMA = "flint-bench/1";

    /** The percentiles of {@code latencyMicros}, with their field names. */
    private static final double[] PERCENTILES = {50, 75, 90, 99, 99.9, 99.99};

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern STATUS = Pattern.compile("[0-9]{1,3}");

    /** Latest duration that still fits in a long of nanoseconds, with room to spare. */
    private static final double MAX_SECONDS = 9e9;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();
    private static final ObjectMapper MAPPER =
            new ObjectMapper(FACTORY).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonReport() {}

    // ---------------------------------------------------------------------------------------------
    // Writing

    /** Writes the result as UTF-8 JSON, indented, ending with a line break; leaves {@code out} open. */
    public static void write(BenchResult result, OutputStream out) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeStringField("started", result.started().toString());
            writeSettings(g, result.settings());
            g.writeArrayFieldStart("targets");
            for (TargetResult t : result.targets()) {
                writeTarget(g, t);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    private static void writeSettings(JsonGenerator g, RunSettings s) throws IOException {
        g.writeObjectFieldStart("settings");
        g.writeStringField("mode", s.mode() == Mode.RATE ? "rate" : "closed");
        g.writeNumberField("connections", s.connections());
        g.writeNumberField("ratePerSecond", s.rate());
        g.writeNumberField("warmupSeconds", seconds(s.warmup()));
        g.writeNumberField("rampSeconds", seconds(s.ramp()));
        g.writeFieldName("durationSeconds");
        if (s.duration() == null) {
            g.writeNull();
        } else {
            g.writeNumber(seconds(s.duration()));
        }
        g.writeNumberField("requestLimit", s.requestLimit());
        g.writeNumberField("rounds", s.rounds());
        g.writeEndObject();
    }

    private static void writeTarget(JsonGenerator g, TargetResult t) throws IOException {
        Histogram h = t.latency();
        boolean empty = h.getTotalCount() == 0;
        g.writeStartObject();
        g.writeStringField("name", t.name());
        g.writeStringField("url", t.url());
        g.writeStringField("method", t.method());
        g.writeNumberField("measuredSeconds", t.measuredNanos() / 1e9);
        g.writeNumberField("requests", t.requests());
        g.writeNumberField("requestsPerSecond", t.requestsPerSecond());
        g.writeNumberField("bytesReceived", t.bytesReceived());
        g.writeObjectFieldStart("statuses");
        for (Map.Entry<Integer, Long> e : t.statuses().entrySet()) {
            g.writeNumberField(Integer.toString(e.getKey()), e.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("errors");
        for (Map.Entry<String, Long> e : t.errors().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("failures", t.failures());

        g.writeObjectFieldStart("latencyMicros");
        micros(g, "min", empty, h.getMinValue());
        for (double p : PERCENTILES) {
            micros(g, "p" + Units.percentileLabel(p), empty, h.getValueAtPercentile(p));
        }
        micros(g, "max", empty, h.getMaxValue());
        micros(g, "mean", empty, h.getMean());
        micros(g, "stdev", empty, h.getStdDeviation());
        g.writeEndObject();

        g.writeArrayFieldStart("latencyDistribution");
        for (Distribution.Point p : Distribution.of(h)) {
            g.writeStartObject();
            g.writeNumberField("percentile", p.percentile());
            g.writeNumberField("micros", p.valueNanos() / 1e3);
            g.writeNumberField("count", p.totalCount());
            g.writeEndObject();
        }
        g.writeEndArray();

        g.writeStringField("traceUrl", t.traceUrl());
        g.writeStringField("histogram", encode(h));
        g.writeEndObject();
    }

    private static void micros(JsonGenerator g, String field, boolean empty, double nanos) throws IOException {
        g.writeFieldName(field);
        if (empty) {
            g.writeNull();
        } else {
            g.writeNumber(nanos / 1e3);
        }
    }

    private static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }

    /** HdrHistogram's compressed encoding, in base64. */
    static String encode(Histogram h) {
        int needed = h.getNeededByteBufferCapacity();
        // Deflate can grow incompressible input a little; a short buffer would truncate it silently.
        ByteBuffer buffer = ByteBuffer.allocate(needed + needed / 16 + 256);
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    /**
     * Reads a result written by {@link #write}; leaves {@code in} open.
     *
     * @throws ReportFormatException when the input is not JSON, not schema {@value #SCHEMA}, or a field
     *     is missing or wrong; the message names the field
     * @throws IOException when reading fails
     */
    public static BenchResult read(InputStream in) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ReportFormatException("$", "not JSON" + where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ReportFormatException("$", "empty input, not a flint bench report");
        }
        Obj doc = new Obj(root, "");
        if (!root.isObject()) {
            throw new ReportFormatException("$", "not a JSON object but " + kind(root));
        }
        JsonNode schema = root.get("schema");
        if (schema == null || schema.isNull()) {
            throw new ReportFormatException("schema", "missing: not a flint bench report (" + SCHEMA + ")");
        }
        if (!schema.isTextual() || !schema.textValue().equals(SCHEMA)) {
            throw new ReportFormatException("schema", "unsupported version " + (schema.isTextual()
                    ? quote(schema.textValue()) : kind(schema)) + "; this flint reads " + SCHEMA);
        }
        Instant started;
        String startedText = doc.string("started");
        try {
            started = Instant.parse(startedText);
        } catch (DateTimeParseException e) {
            throw new ReportFormatException("started", "not an ISO-8601 instant: " + quote(startedText));
        }
        RunSettings settings = readSettings(doc.object("settings"));

        JsonNode targets = doc.array("targets");
        if (targets.isEmpty()) {
            throw new ReportFormatException("targets", "empty; a result has at least one target");
        }
        List<TargetResult> results = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            String path = "targets[" + i + "]";
            JsonNode target = targets.get(i);
            if (!target.isObject()) {
                throw new ReportFormatException(path, "not an object but " + kind(target));
            }
            results.add(readTarget(new Obj(target, path)));
        }
        return new BenchResult(started, settings, results);
    }

    private static RunSettings readSettings(Obj s) throws ReportFormatException {
        String modeText = s.string("mode");
        Mode mode = switch (modeText) {
            case "closed" -> Mode.CLOSED;
            case "rate" -> Mode.RATE;
            default -> throw s.fail("mode", quote(modeText) + " is neither \"closed\" nor \"rate\"");
        };
        int connections = s.positiveInt("connections");
        double rate = s.nonNegativeDouble("ratePerSecond");
        Duration warmup = s.duration("warmupSeconds");
        Duration ramp = s.duration("rampSeconds");
        Duration duration = s.has("durationSeconds") ? s.duration("durationSeconds") : null;
        long requestLimit = s.count("requestLimit");
        int rounds = s.positiveInt("rounds");
        if (duration == null && requestLimit <= 0) {
            throw s.fail("durationSeconds", "null while requestLimit is 0; a run is bounded by one of them");
        }
        return new RunSettings(mode, connections, rate, warmup, ramp, duration, requestLimit, rounds);
    }

    private static TargetResult readTarget(Obj t) throws ReportFormatException {
        String name = t.string("name");
        String url = t.string("url");
        String method = t.string("method");
        long measuredNanos = t.duration("measuredSeconds").toNanos();
        long requests = t.count("requests");
        long bytes = t.count("bytesReceived");

        SortedMap<Integer, Long> statuses = new TreeMap<>();
        Obj statusField = t.object("statuses");
        for (Iterator<String> it = statusField.node().fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!STATUS.matcher(key).matches()) {
                throw statusField.fail(key, "not an HTTP status code (a number from 0 to 999)");
            }
            statuses.put(Integer.parseInt(key), statusField.count(key));
        }
        SortedMap<String, Long> errors = new TreeMap<>();
        Obj errorField = t.object("errors");
        for (Iterator<String> it = errorField.node().fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.isEmpty()) {
                throw errorField.fail(key, "an error kind needs a name");
            }
            errors.put(key, errorField.count(key));
        }
        String traceUrl = t.has("traceUrl") ? t.string("traceUrl") : null;
        Histogram latency = decode(t, "histogram");
        return new TargetResult(name, url, method, measuredNanos, requests, bytes, statuses, errors, latency, traceUrl);
    }

    private static Histogram decode(Obj t, String field) throws ReportFormatException {
        String text = t.string(field);
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw t.fail(field, "not base64 (" + e.getMessage() + ")");
        }
        Histogram h;
        try {
            h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
        } catch (DataFormatException | RuntimeException e) {
            throw t.fail(field, "not an HdrHistogram compressed histogram (" + e.getMessage() + ")");
        }
        if (h.getTotalCount() < 0) {
            throw t.fail(field, "negative total count " + h.getTotalCount());
        }
        try {
            for (HistogramIterationValue v : h.allValues()) {
                if (v.getCountAtValueIteratedTo() < 0) {
                    throw t.fail(field, "negative count " + v.getCountAtValueIteratedTo() + " at " + v.getValueIteratedTo()
                            + " ns");
                }
            }
        } catch (RuntimeException e) {
            throw t.fail(field, "inconsistent histogram counts (" + e + ")");
        }
        return h;
    }

    // ---------------------------------------------------------------------------------------------
    // Field access with paths in errors

    /** A JSON object and its path in the document ({@code ""} for the root). */
    private record Obj(JsonNode node, String path) {

        String pathOf(String field) {
            String key = PLAIN_KEY.matcher(field).matches() ? field : null;
            if (path.isEmpty()) {
                return key != null ? key : "$[" + quote(field) + "]";
            }
            return key != null ? path + "." + key : path + "[" + quote(field) + "]";
        }

        ReportFormatException fail(String field, String problem) {
            return new ReportFormatException(pathOf(field), problem);
        }

        /** Whether a field is present and not null. */
        boolean has(String field) {
            JsonNode v = node.get(field);
            return v != null && !v.isNull();
        }

        JsonNode required(String field) throws ReportFormatException {
            JsonNode v = node.get(field);
            if (v == null) {
                throw fail(field, "missing");
            }
            if (v.isNull()) {
                throw fail(field, "null");
            }
            return v;
        }

        String string(String field) throws ReportFormatException {
            JsonNode v = required(field);
            if (!v.isTextual()) {
                throw fail(field, "not a string but " + kind(v));
            }
            return v.textValue();
        }

        Obj object(String field) throws ReportFormatException {
            JsonNode v = required(field);
            if (!v.isObject()) {
                throw fail(field, "not an object but " + kind(v));
            }
            return new Obj(v, pathOf(field));
        }

        JsonNode array(String field) throws ReportFormatException {
            JsonNode v = required(field);
            if (!v.isArray()) {
                throw fail(field, "not an array but " + kind(v));
            }
            return v;
        }

        long count(String field) throws ReportFormatException {
            JsonNode v = required(field);
            if (!v.isIntegralNumber()) {
                throw fail(field, "not an integer but " + kind(v));
            }
            if (!v.canConvertToLong()) {
                throw fail(field, "out of range: " + v.asText());
            }
            long n = v.longValue();
            if (n < 0) {
                throw fail(field, "negative count " + n);
            }
            return n;
        }

        int positiveInt(String field) throws ReportFormatException {
            long n = count(field);
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw fail(field, n + " is out of range (1 to " + Integer.MAX_VALUE + ")");
            }
            return (int) n;
        }

        double nonNegativeDouble(String field) throws ReportFormatException {
            JsonNode v = required(field);
            if (!v.isNumber()) {
                throw fail(field, "not a number but " + kind(v));
            }
            double d = v.doubleValue();
            if (!Double.isFinite(d) || d < 0) {
                throw fail(field, v.asText() + " is not a finite number of 0 or more");
            }
            return d;
        }

        Duration duration(String field) throws ReportFormatException {
            double seconds = nonNegativeDouble(field);
            if (seconds > MAX_SECONDS) {
                throw fail(field, seconds + " seconds is out of range");
            }
            return Duration.ofNanos(Math.round(seconds * 1e9));
        }
    }

    private static String kind(JsonNode v) {
        if (v.isTextual()) {
            return "a string";
        }
        if (v.isNumber()) {
            return "a number";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isNull()) {
            return "null";
        }
        return v.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        int shown = Math.min(s.length(), 80);
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (shown < s.length()) {
            b.append("...");
        }
        return b.append('"').toString();
    }
}
