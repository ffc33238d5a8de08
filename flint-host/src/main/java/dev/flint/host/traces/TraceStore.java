package dev.flint.host.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flint.trace.export.TraceJson;
import dev.flint.trace.format.TraceFormatException;
import dev.flint.trace.format.ExpandedTooLargeException;
import dev.flint.trace.format.TraceReader;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.Trace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stored traces: a directory (created owner-only) with, per trace,
 * <ul>
 *   <li>{@code <id>.trace}: the bytes as received (gzip kept as it came: the reader detects it);</li>
 *   <li>{@code <id>.json}: the sidecar, the {@link Entry} and the trace's summary
 *       ({@link TraceJson#info}); written last, atomically, so a trace exists once its sidecar does;</li>
 *   <li>{@code <id>.invocations}, when the host marked invocations: one {@link InvocationMark} a line.</li>
 * </ul>
 * The index is kept in memory and rebuilt from the sidecars at {@link #open}. File names come only
 * from ids, which the store makes ({@code 20261201T091500Z-1a2b3c4d}: the time received, sortable,
 * and 32 random bits); names and labels never touch the file system, so there is no path traversal
 * and no overwrite.
 *
 * <p>A trace is checked before it is stored by reading it whole with {@link TraceReader}: a body that
 * is not a trace is refused with the parser's message (the line and its number) and deleted. At most
 * one check per core runs at a time, which bounds the memory that uploads take.
 *
 * <p>Retention ({@link #enforce}) deletes the oldest traces first, by age and by total size; it runs
 * after each {@code put} and should run periodically. Every method is thread-safe and may block on
 * disk: call them from worker or virtual threads, never from an event loop. One process should own a
 * directory; another (a CLI listing or deleting) may share it, and traces it deletes vanish from
 * this index at the next periodic {@link #enforce()}.
 */
public final class TraceStore {

    /** Where a trace came from. */
    public enum Source {
        /** Posted to {@code /admin/traces}. */
        COLLECTOR,
        /** Recorded by the host's profiler. */
        PROFILER;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Source of(String wireName) {
            return valueOf(wireName.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * One stored trace.
     *
     * @param labels         sorted by key; always has {@code function}
     * @param format         as the reader detected it: {@code perf-script}, {@code folded}, {@code jfr}
     * @param receivedMillis when it was stored, epoch ms
     * @param sizeBytes      the trace's bytes, as received
     * @param samples        samples in it (the sum of counts)
     * @param startNanos     its first sample's time on its own clock, or {@link SampleStore#NO_TIME}
     * @param endNanos       its last sample's time, or {@link SampleStore#NO_TIME}
     * @param invocations    invocation marks stored with it
     * @param storedBytes    what it takes on disk, sidecar and marks included: what retention counts
     */
    public record Entry(String id, String name, SortedMap<String, String> labels, String format,
                        long receivedMillis, long sizeBytes, long samples, long startNanos, long endNanos,
                        Source source, int invocations, long storedBytes) {

        public Entry {
            labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        }

        public boolean timed() {
            return startNanos != SampleStore.NO_TIME;
        }

        public Instant received() {
            return Instant.ofEpochMilli(receivedMillis);
        }

        public String function() {
            return labels.get(TraceLabels.FUNCTION);
        }

        /** The entry as the API and the sidecar write it. */
        public ObjectNode toJson() {
            ObjectNode node = JSON.createObjectNode();
            node.put("id", id).put("name", name);
            ObjectNode l = node.putObject("labels");
            labels.forEach(l::put);
            node.put("format", format).put("source", source.wireName())
                    .put("received", received().toString()).put("receivedMillis", receivedMillis)
                    .put("sizeBytes", sizeBytes).put("samples", samples);
            if (timed()) {
                node.put("startNanos", startNanos).put("endNanos", endNanos).put("durationNanos", endNanos - startNanos);
            } else {
                node.putNull("startNanos").putNull("endNanos");
            }
            node.put("invocations", invocations);
            return node;
        }

        static Entry fromJson(JsonNode node, long storedBytes) {
            SortedMap<String, String> labels = new TreeMap<>();
            node.path("labels").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
            JsonNode start = node.path("startNanos");
            JsonNode end = node.path("endNanos");
            return new Entry(text(node, "id"), text(node, "name"), labels, text(node, "format"),
                    node.path("receivedMillis").asLong(), node.path("sizeBytes").asLong(), node.path("samples").asLong(),
                    start.isIntegralNumber() ? start.asLong() : SampleStore.NO_TIME,
                    end.isIntegralNumber() ? end.asLong() : SampleStore.NO_TIME,
                    Source.of(text(node, "source")), node.path("invocations").asInt(), storedBytes);
        }

        private static String text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            if (value == null || !value.isTextual()) {
                throw new IllegalArgumentException("no \"" + field + "\"");
            }
            return value.textValue();
        }
    }

    /**
     * Which traces {@link #list} returns; every condition given must hold. Names and values compare
     * ignoring case.
     *
     * @param name     the trace's name, or null
     * @param function the {@code function} label, or null
     * @param labels   label values that must match
     * @param from     received at or after, or null
     * @param until    received before, or null
     * @param limit    at most this many, newest first; 0 for all
     */
    public record Query(String name, String function, Map<String, String> labels, Instant from, Instant until,
                        int limit) {

        public static final Query ALL = new Query(null, null, Map.of(), null, null, 0);

        public Query {
            Map<String, String> lower = new HashMap<>();
            labels.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
            labels = Map.copyOf(lower);
            if (limit < 0) {
                throw new IllegalArgumentException("limit must be >= 0: " + limit);
            }
        }

        public Query withName(String n) {
            return new Query(n, function, labels, from, until, limit);
        }

        public Query withFunction(String f) {
            return new Query(name, f, labels, from, until, limit);
        }

        public Query withLabel(String key, String value) {
            Map<String, String> more = new HashMap<>(labels);
            more.put(key, value);
            return new Query(name, function, more, from, until, limit);
        }

        public Query withTime(Instant f, Instant u) {
            return new Query(name, function, labels, f, u, limit);
        }

        public Query withLimit(int l) {
            return new Query(name, function, labels, from, until, l);
        }

        boolean matches(Entry e) {
            if (name != null && !name.equalsIgnoreCase(e.name())) {
                return false;
            }
            if (function != null && !function.equalsIgnoreCase(e.function())) {
                return false;
            }
            for (Map.Entry<String, String> l : labels.entrySet()) {
                if (!l.getValue().equalsIgnoreCase(e.labels().get(l.getKey()))) {
                    return false;
                }
            }
            return (from == null || e.receivedMillis() >= from.toEpochMilli())
                    && (until == null || e.receivedMillis() < until.toEpochMilli());
        }
    }

    /**
     * How long traces are kept and how much disk they may take together.
     *
     * @param maxAge        traces received longer ago are deleted; null for no age limit
     * @param maxTotalBytes the oldest traces are deleted while all take more; {@link Long#MAX_VALUE} for no limit
     */
    public record Retention(Duration maxAge, long maxTotalBytes) {

        public static final Retention NONE = new Retention(null, Long.MAX_VALUE);
        /** A week, and 10 GiB. */
        public static final Retention DEFAULT = new Retention(Duration.ofDays(7), 10L << 30);

        public Retention {
            if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
                throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
            }
            if (maxTotalBytes <= 0) {
                throw new IllegalArgumentException("maxTotalBytes must be positive: " + maxTotalBytes);
            }
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private static final Logger LOG = LoggerFactory.getLogger("Host.Traces");
    private static final Pattern ID = Pattern.compile("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String TRACE = ".trace";
    private static final String SIDECAR = ".json";
    private static final String MARKS = ".invocations";
    private static final String UPLOAD_PREFIX = ".upload-";
    /** Upload files and unclaimed trace files older than this are left over from a crash. */
    private static final Duration STALE = Duration.ofHours(1);
    private static final Comparator<Entry> OLDEST_FIRST = Comparator.comparingLong(Entry::receivedMillis)
            .thenComparing(Entry::id);

    private final Path dir;
    private final Retention retention;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Semaphore checks = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));
    private final List<Consumer<String>> deleteListeners = new CopyOnWriteArrayList<>();

    // Guarded by this.
    private final Map<String, Entry> index = new HashMap<>();
    private final Set<String> reserved = new HashSet<>();
    private long totalBytes;

    private TraceStore(Path dir, Retention retention, Clock clock) {
        this.dir = dir;
        this.retention = retention;
        this.clock = clock;
    }

    /** Opens (creating it owner-only if needed) the store in {@code dir}, with the system clock. */
    public static TraceStore open(Path dir, Retention retention) throws IOException {
        return open(dir, retention, Clock.systemUTC());
    }

    /** Opens the store, rebuilding its index from the sidecars; {@code clock} stamps and ages traces. */
    public static TraceStore open(Path dir, Retention retention, Clock clock) throws IOException {
        Objects.requireNonNull(retention, "retention");
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            try {
                Files.createDirectory(absolute, ownerOnly("rwx------"));
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(absolute)) {
                    throw new IOException(absolute + " is not a directory");
                }
            }
        }
        TraceStore store = new TraceStore(absolute, retention, clock);
        store.load();
        return store;
    }

    public Path directory() {
        return dir;
    }

    public Retention retention() {
        return retention;
    }

    /** Traces stored. */
    public synchronized int size() {
        return index.size();
    }

    /** What the traces take on disk, as retention counts it. */
    public synchronized long totalBytes() {
        return totalBytes;
    }

    /** Whether {@code id} has the form of a trace id; anything else is never looked up on disk. */
    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * Stores a posted trace: streams {@code body} to a file in the store, at most {@code maxBytes},
     * then checks it is a trace.
     *
     * @param labels the name under {@code name}, and labels; see {@link TraceLabels#of}
     * @throws TraceRejectedException for a bad name or label (nothing is read), a body past the limit, or a
     *                                body that is not a trace; nothing is left on disk
     */
    public Entry put(InputStream body, long maxBytes, Map<String, String> labels)
            throws IOException, TraceRejectedException {
        TraceLabels checked = TraceLabels.of(labels);
        Path upload = newUpload();
        try {
            try (OutputStream out = Files.newOutputStream(upload, StandardOpenOption.WRITE)) {
                copy(body, out, maxBytes, upload);
            }
        } catch (IOException | TraceRejectedException | RuntimeException e) {
            Files.deleteIfExists(upload);
            throw e;
        }
        return commit(upload, checked, Source.COLLECTOR, List.of());
    }

    /**
     * Stores a trace the profiler recorded, with the invocations it saw. The file is checked where it
     * is, then moved into the store (copied when it is on another file system).
     *
     * @throws TraceRejectedException for a bad name or label, or a file that is not a trace; the file is left where it was
     */
    public Entry put(Path file, Map<String, String> labels, List<InvocationMark> invocations)
            throws IOException, TraceRejectedException {
        TraceLabels checked = TraceLabels.of(labels);
        Checked trace = check(file, checked.name());
        Path upload = uploadPath();
        try {
            Files.move(file, upload);
        } catch (IOException e) {
            Files.deleteIfExists(upload);
            throw e;
        }
        return store(upload, checked, Source.PROFILER, invocations, trace);
    }

    /**
     * A fresh, unused path in the store's directory for an upload in progress. The caller creates the
     * file (owner-only), writes it, and then hands it to {@link #commit} or deletes it.
     */
    Path uploadPath() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return dir.resolve(UPLOAD_PREFIX + HexFormat.of().formatHex(bytes));
    }

    /** Creates {@link #uploadPath()} owner-only: for callers that write it with blocking IO. */
    Path newUpload() throws IOException {
        Path upload = uploadPath();
        Files.createFile(upload, ownerOnly("rw-------"));
        return upload;
    }

    /**
     * Checks a written upload and stores it under a new id. A file that is not a trace is deleted.
     *
     * @param upload a file from {@link #uploadPath()}
     */
    Entry commit(Path upload, TraceLabels labels, Source source, List<InvocationMark> invocations)
            throws IOException, TraceRejectedException {
        Checked trace;
        try {
            trace = check(upload, labels.name());
        } catch (IOException | TraceRejectedException | RuntimeException e) {
            Files.deleteIfExists(upload);
            throw e;
        }
        return store(upload, labels, source, invocations, trace);
    }

    /** Traces that match, newest first. */
    public List<Entry> list(Query query) {
        List<Entry> all;
        synchronized (this) {
            all = new ArrayList<>(index.values());
        }
        List<Entry> matching = new ArrayList<>();
        for (Entry e : all) {
            if (query.matches(e)) {
                matching.add(e);
            }
        }
        matching.sort(OLDEST_FIRST.reversed());
        return query.limit() > 0 && matching.size() > query.limit() ? matching.subList(0, query.limit()) : matching;
    }

    public synchronized Optional<Entry> get(String id) {
        return isId(id) ? Optional.ofNullable(index.get(id)) : Optional.empty();
    }

    /**
     * The file of a trace's bytes (which exists while the trace is stored).
     *
     * @throws IllegalArgumentException when {@code id} is not an id
     */
    public Path file(String id) {
        return path(id, TRACE);
    }

    /** The invocations stored with a trace; empty when it has none or is unknown. */
    public List<InvocationMark> invocations(String id) throws IOException {
        Optional<Entry> entry = get(id);
        if (entry.isEmpty() || entry.get().invocations() == 0) {
            return List.of();
        }
        try {
            return InvocationMark.read(path(id, MARKS), id + MARKS);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** The trace's summary, as {@link TraceJson#info} wrote it when the trace was stored. */
    public Optional<ObjectNode> info(String id) throws IOException {
        if (get(id).isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode info = JSON.readTree(path(id, SIDECAR).toFile()).get("info");
            return info instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Deletes a trace and what is stored with it; false when there is no such trace. */
    public boolean delete(String id) throws IOException {
        Entry entry;
        synchronized (this) {
            entry = isId(id) ? index.remove(id) : null;
            if (entry == null) {
                return false;
            }
            totalBytes -= entry.storedBytes();
        }
        // The sidecar first: without it, a trace file is an orphan, never a half-deleted trace.
        Files.deleteIfExists(path(id, SIDECAR));
        Files.deleteIfExists(path(id, TRACE));
        Files.deleteIfExists(path(id, MARKS));
        for (Consumer<String> listener : deleteListeners) {
            listener.accept(id);
        }
        return true;
    }

    /** Runs {@code listener} with the id of every trace deleted, by {@link #delete} or by retention. */
    public void onDelete(Consumer<String> listener) {
        deleteListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Applies the store's own retention, and tidies up: forgets traces another process deleted,
     * removes uploads left over from a crash. For the host to run periodically (every minute or so).
     *
     * @return the ids deleted
     */
    public List<String> enforce() throws IOException {
        forgetVanished();
        removeStale();
        return enforce(retention.maxAge(), retention.maxTotalBytes(), null);
    }

    /**
     * Deletes traces older than {@code maxAge}, then the oldest while all take more than
     * {@code maxTotalBytes}.
     *
     * @param maxAge null for no age limit
     * @return the ids deleted, oldest first
     */
    public List<String> enforce(Duration maxAge, long maxTotalBytes) throws IOException {
        return enforce(maxAge, maxTotalBytes, null);
    }

    /** {@link #enforce(Duration, long)}, never deleting {@code keep}: the trace just stored. */
    private List<String> enforce(Duration maxAge, long maxTotalBytes, String keep) throws IOException {
        List<Entry> victims = new ArrayList<>();
        synchronized (this) {
            List<Entry> oldestFirst = new ArrayList<>(index.values());
            oldestFirst.sort(OLDEST_FIRST);
            long cutoff = maxAge == null ? Long.MIN_VALUE : clock.millis() - maxAge.toMillis();
            long remaining = totalBytes;
            for (Entry e : oldestFirst) {
                if (e.id().equals(keep)) {
                    continue;
                }
                if (e.receivedMillis() < cutoff || remaining > maxTotalBytes) {
                    victims.add(e);
                    remaining -= e.storedBytes();
                }
            }
        }
        List<String> deleted = new ArrayList<>();
        for (Entry e : victims) {
            if (delete(e.id())) {
                deleted.add(e.id());
                LOG.info("Deleted trace {} ({}, {} bytes, received {}) by retention (max age {}, max total {} bytes)",
                        e.id(), e.name(), e.storedBytes(), e.received(), maxAge == null ? "none" : maxAge, maxTotalBytes);
            }
        }
        return deleted;
    }

    // ---- storing

    /** What the check learned: enough for the entry and the sidecar. */
    private record Checked(String format, long samples, long startNanos, long endNanos, ObjectNode info) {}

    private Checked check(Path file, String shownName) throws IOException, TraceRejectedException {
        try {
            checks.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to check a trace");
        }
        try {
            Trace trace = read(file, shownName);
            ByteArrayOutputStream info = new ByteArrayOutputStream();
            TraceJson.info(trace, info);
            ObjectNode infoNode = (ObjectNode) JSON.readTree(info.toByteArray());
            return new Checked(trace.format(), trace.samples().totalCount(), trace.startNanos(), trace.endNanos(),
                    infoNode);
        } catch (TraceFormatException e) {
            throw new TraceRejectedException(e.noSamples() ? TraceRejectedException.Reason.NO_SAMPLES
                    : TraceRejectedException.Reason.NOT_A_TRACE, shown(e, shownName));
        } catch (ExpandedTooLargeException e) {
            throw new TraceRejectedException(TraceRejectedException.Reason.TOO_LARGE, shownName
                    + ": the gzip body expands to more than " + e.limitBytes() + " bytes (" + (e.limitBytes() >> 20)
                    + " MiB), the limit of a trace once decompressed");
        } catch (RuntimeException e) {
            // A reader's own failure on a strange input: still the input's fault, and the sender's to hear.
            throw new TraceRejectedException(TraceRejectedException.Reason.NOT_A_TRACE, shownName
                    + ": not a trace Flint can read (" + e + ")");
        } finally {
            checks.release();
        }
    }

    /**
     * Reads a trace file, naming it {@code source} in messages and in {@link Trace#source()}. A JFR
     * recording needs its file and is read by path; the text formats, plain or gzip, are read as a stream.
     */
    static Trace read(Path file, String source) throws IOException, TraceFormatException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        }
        boolean jfr = head.length == 4 && head[0] == 'F' && head[1] == 'L' && head[2] == 'R' && head[3] == 0;
        if (jfr) {
            return TraceReader.read(file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return TraceReader.read(in, source, MAX_EXPANDED_BYTES);
        }
    }

    /**
     * The most a gzip trace may expand to when read: a few megabytes of compressed zeros must not
     * become minutes of parsing (a gzip bomb). 2 GiB of perf text is about a day at 200 Hz on 8 CPUs.
     */
    public static final long MAX_EXPANDED_BYTES = 2L << 30;

    /** The parser's message with {@code shownName} as the source, never the store's path. */
    static String shown(TraceFormatException e, String shownName) {
        String message = e.getMessage();
        String source = e.source();
        if (source != null && !source.equals(shownName) && message.startsWith(source)) {
            return shownName + message.substring(source.length());
        }
        return message;
    }

    private Entry store(Path upload, TraceLabels labels, Source source, List<InvocationMark> invocations,
                        Checked trace) throws IOException {
        String id = reserveId();
        Entry entry;
        try {
            Path file = path(id, TRACE);
            move(upload, file);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's own permissions protect it
            }
            long stored = Files.size(file);
            long size = stored;
            if (!invocations.isEmpty()) {
                Path marks = path(id, MARKS);
                Path tmp = dir.resolve("." + id + MARKS + ".tmp");
                Files.deleteIfExists(tmp);
                Files.createFile(tmp, ownerOnly("rw-------"));
                InvocationMark.write(invocations, tmp);
                move(tmp, marks);
                stored += Files.size(marks);
            }
            entry = new Entry(id, labels.name(), labels.labels(), trace.format(), clock.millis(), size,
                    trace.samples(), trace.startNanos(), trace.endNanos(), source, invocations.size(), 0);
            ObjectNode sidecar = entry.toJson();
            trace.info().put("source", id);
            sidecar.set("info", trace.info());
            Path sidecarFile = path(id, SIDECAR);
            Path tmp = dir.resolve("." + id + SIDECAR + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, ownerOnly("rw-------"));
            Files.write(tmp, JSON.writeValueAsBytes(sidecar));
            move(tmp, sidecarFile);
            stored += Files.size(sidecarFile);
            entry = withStoredBytes(entry, stored);
            synchronized (this) {
                index.put(id, entry);
                totalBytes += stored;
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(upload);
            Files.deleteIfExists(path(id, SIDECAR));
            Files.deleteIfExists(path(id, TRACE));
            Files.deleteIfExists(path(id, MARKS));
            throw e;
        } finally {
            synchronized (this) {
                reserved.remove(id);
            }
        }
        LOG.info("Stored trace {} ({}, {}, {} samples, {} bytes, from the {})", id, entry.name(), entry.format(),
                entry.samples(), entry.sizeBytes(), source.wireName());
        try {
            enforce(retention.maxAge(), retention.maxTotalBytes(), id);
        } catch (IOException e) {
            LOG.warn("Retention could not delete an old trace: {}", e.toString());
        }
        return entry;
    }

    private static Entry withStoredBytes(Entry e, long stored) {
        return new Entry(e.id(), e.name(), e.labels(), e.format(), e.receivedMillis(), e.sizeBytes(), e.samples(),
                e.startNanos(), e.endNanos(), e.source(), e.invocations(), stored);
    }

    private synchronized String reserveId() {
        String time = ID_TIME.format(clock.instant());
        byte[] bytes = new byte[4];
        while (true) {
            random.nextBytes(bytes);
            String id = time + "-" + HexFormat.of().formatHex(bytes);
            if (!index.containsKey(id) && !reserved.contains(id) && !Files.exists(path(id, TRACE))
                    && !Files.exists(path(id, SIDECAR))) {
                reserved.add(id);
                return id;
            }
        }
    }

    private static void copy(InputStream in, OutputStream out, long maxBytes, Path upload)
            throws IOException, TraceRejectedException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > maxBytes) {
                throw tooLarge(maxBytes);
            }
            out.write(buffer, 0, n);
        }
    }

    static TraceRejectedException tooLarge(long maxBytes) {
        return new TraceRejectedException(TraceRejectedException.Reason.TOO_LARGE,
                "the trace is larger than the limit of " + maxBytes + " bytes");
    }

    private Path path(String id, String suffix) {
        if (!isId(id)) {
            throw new IllegalArgumentException("not a trace id: \"" + TraceLabels.printable(id) + "\"");
        }
        return dir.resolve(id + suffix);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static FileAttribute<?>[] ownerOnly(String permissions) {
        try {
            if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
            }
        } catch (UnsupportedOperationException e) {
            // fall through
        }
        return new FileAttribute<?>[0];
    }

    // ---- the index

    /** Reads every sidecar; drops sidecars without their trace, and trace files no sidecar claims. */
    private void load() throws IOException {
        Set<String> traceFiles = new HashSet<>();
        List<Path> sidecars = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(TRACE) && isId(name.substring(0, name.length() - TRACE.length()))) {
                    traceFiles.add(name.substring(0, name.length() - TRACE.length()));
                } else if (name.endsWith(SIDECAR) && isId(name.substring(0, name.length() - SIDECAR.length()))) {
                    sidecars.add(f);
                }
            }
        }
        for (Path sidecar : sidecars) {
            String name = sidecar.getFileName().toString();
            String id = name.substring(0, name.length() - SIDECAR.length());
            if (!traceFiles.contains(id)) {
                LOG.warn("Trace {} in {} has a sidecar but no trace file; removing the sidecar", id, dir);
                Files.deleteIfExists(sidecar);
                Files.deleteIfExists(path(id, MARKS));
                continue;
            }
            try {
                long stored = Files.size(sidecar) + Files.size(path(id, TRACE))
                        + (Files.exists(path(id, MARKS)) ? Files.size(path(id, MARKS)) : 0);
                Entry entry = Entry.fromJson(JSON.readTree(sidecar.toFile()), stored);
                if (!entry.id().equals(id)) {
                    throw new IllegalArgumentException("it names the id " + entry.id());
                }
                index.put(id, entry);
                totalBytes += stored;
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("Trace {} in {} is left out: its sidecar {} cannot be read ({})", id, dir, name, e.getMessage());
            }
            traceFiles.remove(id);
        }
        for (String orphan : traceFiles) {
            removeIfStale(path(orphan, TRACE), "a trace file without a sidecar");
        }
        removeStale();
        LOG.debug("Opened the trace store in {}: {} traces, {} bytes", dir, index.size(), totalBytes);
    }

    /** Forgets traces whose sidecar has gone (another process deleted them). */
    private void forgetVanished() {
        List<Entry> all;
        synchronized (this) {
            all = new ArrayList<>(index.values());
        }
        for (Entry e : all) {
            if (!Files.exists(path(e.id(), SIDECAR))) {
                boolean removed;
                synchronized (this) {
                    removed = index.remove(e.id(), e);
                    if (removed) {
                        totalBytes -= e.storedBytes();
                    }
                }
                if (removed) {
                    for (Consumer<String> listener : deleteListeners) {
                        listener.accept(e.id());
                    }
                }
            }
        }
    }

    /** Removes uploads and temporary files that nobody has written for an hour. */
    private void removeStale() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(UPLOAD_PREFIX) || name.endsWith(".tmp")) {
                    removeIfStale(f, "an unfinished upload");
                }
            }
        }
    }

    private void removeIfStale(Path file, String what) {
        try {
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            // File times are the real clock's, whatever clock ages the traces.
            if (modified.isBefore(Instant.now().minus(STALE))) {
                Files.deleteIfExists(file);
                LOG.info("Removed {} from the trace store: {}", what, file.getFileName());
            }
        } catch (IOException e) {
            LOG.debug("Could not check {}: {}", file, e.toString());
        }
    }
}
