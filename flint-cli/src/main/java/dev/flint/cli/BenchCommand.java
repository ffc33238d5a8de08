package dev.flint.cli;

import dev.flint.bench.load.BenchRunner;
import dev.flint.bench.load.ConsoleProgress;
import dev.flint.bench.load.LoadEngine;
import dev.flint.bench.load.LoadPlan;
import dev.flint.bench.load.Progress;
import dev.flint.bench.load.RequestSpec;
import dev.flint.bench.report.HgrmExport;
import dev.flint.bench.report.HtmlReport;
import dev.flint.bench.report.JsonReport;
import dev.flint.bench.report.PercentilePlot;
import dev.flint.bench.report.TextReport;
import dev.flint.bench.result.BenchResult;
import dev.flint.bench.result.Mode;
import dev.flint.bench.result.TargetResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flint bench}: HTTP load against a URL or a function of the running app, in closed loop or at
 * a constant rate (coordinated omission corrected), with latency percentiles; several targets side by
 * side in interleaved rounds. The text report goes to stdout, progress to stderr; JSON, .hgrm, SVG and
 * HTML on request; and, when an app is known, the whole run is stored for the web UI under the app's
 * data directory ({@code bench/<run id>/}).
 *
 * <p>Exit codes: 0 when the run completed (failed requests are in the report), 1 when a target got no
 * answer at all, 2 for a mistake in the options (no bound, a bad URL, an unknown function), 130 when
 * Ctrl-C cut it short (what was measured is still reported).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Loads a URL or a function of the running app with HTTP requests and reports requests/s, errors"
                + " and latency percentiles (HdrHistogram).",
                "Closed loop by default (-c connections, each sending as soon as its answer is in); with --rate, a"
                        + " constant rate whose latencies count from each request's intended send time, so that"
                        + " stalls show (coordinated omission corrected, as wrk2).",
                "Every run needs a bound: --duration, --requests, or both (it ends at the first); it stops by itself."},
        footer = {"",
                "Targets:",
                "  URL                an http:// URL (plain HTTP/1.1; https is not supported)",
                "  FUNCTION[?QUERY]   a function of the app in --app, on its route at the app's running Flint (the URL in"
                        + " APP/.flint/running.json, else 127.0.0.1 on the app's port or 7071);"
                        + " functions whose authLevel needs a key get the master key",
                "  --compare NAME=TARGET ...  several targets, side by side: one after another in interleaved rounds"
                        + " (A B A B ...), each warmed up once before its first round; the report gives each"
                        + " target's ratio to the first. Give several after one --compare, or repeat --compare.",
                "",
                "Templates (in the URL and --body): {{random:MIN:MAX}} a number from MIN to MAX (decimals when a bound"
                        + " has them, e.g. {{random:0.5:10.00}}), {{seq}} or {{seq:START}} a counter, {{pick:A|B|C}}"
                        + " one of the words. --variants requests are rendered before the run and cycled through.",
                "",
                "Durations: 10s, 500ms, 2m, 1h, 1m30s (a bare number is seconds).",
                "",
                "Examples:",
                "  flint bench http://127.0.0.1:7071/api/circle?radius=2 -d 10s",
                "  flint bench 'circle?radius={{random:1:100}}' --rate 2000 -d 30s --app examples/circle",
                "  flint bench -X POST --body '{\"radius\": {{random:1:100}}}' -H 'Content-Type: application/json' circle -n 100000",
                "  flint bench --compare python=http://127.0.0.1:7071/api/circle rust=http://127.0.0.1:7072/api/circle -d 30s"})
final class BenchCommand implements Callable<Integer> {

    private static final Pattern NAMED = Pattern.compile("([A-Za-z0-9_.-]+)=(.+)", Pattern.DOTALL);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** Where the app and the key store read their variables; a test gives its own. */
    private final Map<String, String> environment;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TARGET", arity = "0..1", description = "A URL, or FUNCTION[?QUERY] of the app in --app.")
    String target;

    @Option(names = "--compare", paramLabel = "NAME=TARGET", arity = "1..*",
            description = "Targets to compare side by side (NAME= is optional). Repeatable.")
    List<String> compare = new ArrayList<>();

    @Option(names = "--app", paramLabel = "DIR",
            description = "The function app, for FUNCTION targets, --profile, and where runs are stored (default: .).")
    Path app;

    @Option(names = {"-c", "--connections"}, paramLabel = "N", description = "Connections per target (default: 16).")
    int connections = 16;

    @Option(names = "--rate", paramLabel = "R",
            description = "Requests a second per target, at a constant rate (split over the connections).")
    Double rate;

    @Option(names = {"-d", "--duration"}, paramLabel = "TIME", converter = DurationConverter.class,
            description = "Measured time per target, at most 1h.")
    Duration duration;

    @Option(names = {"-n", "--requests"}, paramLabel = "N",
            description = "Measured requests per target (answered or failed).")
    Long requests;

    @Option(names = "--warmup", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Load before measuring, not in the results (default: 2s; 0 when bounded by --requests only).")
    Duration warmup;

    @Option(names = "--ramp", paramLabel = "TIME", converter = DurationConverter.class,
            description = "Before the warm-up, load grows over this time: the rate from 0 (--rate), or connections"
                    + " starting one after another (default: 0). Never measured.")
    Duration ramp = Duration.ZERO;

    @Option(names = "--rounds", paramLabel = "K",
            description = "Interleaved rounds with several targets (default: 5); one target runs in one round.")
    int rounds = 5;

    @Option(names = {"-X", "--method"}, paramLabel = "METHOD", description = "The HTTP method (default: GET).")
    String method = "GET";

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'", description = "A request header. Repeatable.")
    List<String> headers = new ArrayList<>();

    @Option(names = "--body", paramLabel = "TEXT", description = "The request body, a template.")
    String body;

    @Option(names = "--body-file", paramLabel = "FILE", description = "The request body, the file's bytes as they are.")
    Path bodyFile;

    @Option(names = "--variants", paramLabel = "N",
            description = "Requests rendered when the URL or the body varies (default: 1000).")
    int variants = 1000;

    @Option(names = "--timeout", paramLabel = "TIME", converter = DurationConverter.class,
            description = "How long a request may wait for its answer (default: 10s).")
    Duration timeout = LoadPlan.DEFAULT_TIMEOUT;

    @Option(names = "--threads", paramLabel = "N", description = "Load-generator threads (default: one a core).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--json", paramLabel = "FILE", description = "Writes the result as JSON (- for stdout, instead of the text).")
    Path json;

    @Option(names = "--hgrm-dir", paramLabel = "DIR", description = "Writes each target's percentile distribution, <name>.hgrm.")
    Path hgrmDirectory;

    @Option(names = "--html", paramLabel = "FILE", description = "Writes a self-contained HTML report.")
    Path html;

    @Option(names = "--svg", paramLabel = "FILE", description = "Writes the percentile plot as SVG.")
    Path svg;

    @Option(names = "--profile",
            description = "Profiles each FUNCTION target in the running Flint during its measured phase, and links the trace.")
    boolean profile;

    @Option(names = "--profile-seconds", paramLabel = "N",
            description = "The profile's length (default: the target's first round; 10 when bounded by --requests only).")
    Integer profileSeconds;

    @Option(names = "--report", paramLabel = "RESULT.json",
            description = "Sends no load: renders a stored result (--json output, or result.json of a stored run) again,"
                    + " as text and into --html, --svg, --hgrm-dir.")
    Path report;

    @Option(names = "--no-store", description = "Does not store the run under the app's data directory.")
    boolean noStore;

    @Option(names = "--no-progress", description = "No progress on stderr.")
    boolean noProgress;

    BenchCommand() {
        this(System.getenv());
    }

    BenchCommand(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (report != null) {
            return rerender(out, err);
        }
        LoadPlan plan = plan();
        BenchTargets resolved = new BenchTargets(app, environment, method, headers);
        List<BenchRunner.Target> targets = targets(resolved);
        if (profile && targets.stream().noneMatch(t -> t.function() != null)) {
            throw new UserError("--profile profiles functions of the running app: give a FUNCTION target (not a URL)");
        }
        if (profile) {
            for (BenchRunner.Target t : targets) {
                if (t.function() == null) {
                    err.println("flint bench: --profile: " + t.name() + " is a URL, not a function of the app: not profiled");
                }
            }
        }
        plan = plan.forTargets(targets.size());
        try {
            plan.validate();
            for (BenchRunner.Target t : targets) {
                t.request().validate();
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }

        BenchResult result;
        boolean interrupted;
        CountDownLatch reported = new CountDownLatch(1);
        try (LoadEngine engine = new LoadEngine(plan.threads())) {
            Progress progress = noProgress ? Progress.NONE
                    : new ConsoleProgress(err, ConsoleProgress.stderrIsTerminal(), Duration.ofSeconds(5));
            BenchRunner runner = new BenchRunner(engine, plan, progress);
            if (profile) {
                runner.profile(new BenchProfiler(resolved, err), profileSeconds == null ? null
                        : Duration.ofSeconds(profileSeconds));
            }
            // Ctrl-C: the run stops within a second and what was measured is still reported.
            Thread onSignal = new Thread(() -> {
                runner.stop();
                try {
                    reported.await(15, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "flint-bench-stop");
            boolean hooked = addShutdownHook(onSignal);
            try {
                result = runner.run(targets);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            } finally {
                if (hooked) {
                    removeShutdownHook(onSignal);
                }
            }
            interrupted = runner.stopped();
        }
        try {
            if (interrupted) {
                err.println("flint bench: interrupted; the report covers what was measured until then");
            }
            write(result, out, err, resolved);
        } finally {
            out.flush();
            err.flush();
            reported.countDown();
        }
        if (interrupted) {
            return 130;
        }
        for (TargetResult t : result.targets()) {
            if (t.requests() == 0) {
                err.println("flint bench: " + t.name() + " (" + t.url() + ") gave no answer: " + t.errors());
                return 1;
            }
        }
        return 0;
    }

    private LoadPlan plan() {
        if (duration == null && requests == null) {
            throw new UserError("a run needs a bound: give --duration (e.g. -d 10s) or --requests (e.g. -n 10000), or both"
                    + " (it ends at the first)");
        }
        if (requests != null && requests <= 0) {
            throw new UserError("--requests must be from 1 to " + LoadPlan.MAX_REQUESTS);
        }
        Duration effectiveWarmup = warmup != null ? warmup : duration != null ? LoadPlan.DEFAULT_WARMUP : Duration.ZERO;
        Mode mode = rate != null ? Mode.RATE : Mode.CLOSED;
        return new LoadPlan(mode, connections, rate == null ? 0 : rate, effectiveWarmup, ramp, duration,
                requests == null ? 0 : requests, rounds, timeout, threads);
    }

    private List<BenchRunner.Target> targets(BenchTargets resolved) throws IOException {
        List<String[]> named = new ArrayList<>();
        if (target != null && !compare.isEmpty()) {
            throw new UserError("give one TARGET, or several with --compare, not both");
        }
        if (target != null) {
            named.add(new String[] {null, target});
        }
        for (String entry : compare) {
            Matcher m = NAMED.matcher(entry);
            if (m.matches() && !m.group(1).contains("/")) {
                named.add(new String[] {m.group(1), m.group(2)});
            } else {
                named.add(new String[] {null, entry});
            }
        }
        if (named.isEmpty()) {
            throw new UserError("nothing to load: give a URL, a FUNCTION of the app, or --compare NAME=TARGET ...");
        }
        if (body != null && bodyFile != null) {
            throw new UserError("give --body or --body-file, not both");
        }
        byte[] fileBody = null;
        if (bodyFile != null) {
            try {
                fileBody = Files.readAllBytes(bodyFile);
            } catch (IOException e) {
                throw new UserError("cannot read --body-file " + bodyFile + ": " + e.getMessage());
            }
        }
        List<BenchRunner.Target> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String[] entry : named) {
            BenchTargets.Resolved r = resolved.resolve(entry[1]);
            String name = entry[0] != null ? entry[0] : r.defaultName();
            String unique = name;
            for (int i = 2; !names.add(unique); i++) {
                if (entry[0] != null) {
                    throw new UserError("two targets are named \"" + name + "\"; give each its own NAME=");
                }
                unique = name + "-" + i;
            }
            RequestSpec request;
            try {
                request = new RequestSpec(r.url(), method, r.headers(), fileBody, body, variants);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            out.add(new BenchRunner.Target(unique, request, r.function()));
        }
        return out;
    }

    /** {@code --report}: a stored result, read back and written out again; nothing is loaded or stored. */
    private Integer rerender(PrintWriter out, PrintWriter err) throws IOException {
        if (target != null || (compare != null && !compare.isEmpty())) {
            throw new UserError("--report renders a stored result; give no TARGET or --compare with it");
        }
        BenchResult result;
        try (java.io.InputStream in = Files.newInputStream(report)) {
            result = JsonReport.read(in);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("--report " + report + ": no such file");
        } catch (dev.flint.bench.report.ReportFormatException e) {
            throw new UserError("--report " + report + ": " + e.getMessage());
        }
        noStore = true;
        write(result, out, err, null);
        out.flush();
        err.flush();
        return 0;
    }

    private void write(BenchResult result, PrintWriter out, PrintWriter err, BenchTargets resolved) throws IOException {
        boolean jsonToStdout = json != null && json.toString().equals("-");
        if (jsonToStdout) {
            out.print(jsonText(result));
        } else {
            out.print(TextReport.render(result));
        }
        out.flush();
        if (json != null && !jsonToStdout) {
            writeFile(json, jsonText(result).getBytes(StandardCharsets.UTF_8), err);
        }
        if (hgrmDirectory != null) {
            writeHgrms(result, hgrmDirectory, err);
        }
        if (html != null) {
            writeFile(html, HtmlReport.render(result).getBytes(StandardCharsets.UTF_8), err);
        }
        if (svg != null) {
            writeFile(svg, PercentilePlot.svg(result).getBytes(StandardCharsets.UTF_8), err);
        }
        if (!noStore && resolved != null && resolved.appKnown()) {
            Path directory = resolved.dataDirectory().resolve("bench").resolve(runId(result));
            try {
                Files.createDirectories(directory);
                Files.writeString(directory.resolve("result.json"), jsonText(result));
                Files.writeString(directory.resolve("report.html"), HtmlReport.render(result));
                Files.writeString(directory.resolve("plot.svg"), PercentilePlot.svg(result));
                writeHgrms(result, directory, null);
                err.println("flint bench: stored in " + directory);
            } catch (IOException e) {
                err.println("flint bench: could not store the run in " + directory + ": " + e.getMessage());
            }
        }
    }

    private static String jsonText(BenchResult result) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        JsonReport.write(result, bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void writeHgrms(BenchResult result, Path directory, PrintWriter err) throws IOException {
        Files.createDirectories(directory);
        Set<String> used = new HashSet<>();
        for (TargetResult t : result.targets()) {
            String file = fileName(t.name());
            for (int i = 2; !used.add(file); i++) {
                file = fileName(t.name()) + "-" + i;
            }
            Path path = directory.resolve(file + ".hgrm");
            try (OutputStream stream = Files.newOutputStream(path)) {
                HgrmExport.write(t, stream);
            }
            if (err != null) {
                err.println("flint bench: wrote " + path);
            }
        }
    }

    private static void writeFile(Path path, byte[] content, PrintWriter err) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(path, content);
        err.println("flint bench: wrote " + path);
    }

    /** A target's name as a file name: letters, digits, {@code . _ -}; anything else becomes {@code _}. */
    static String fileName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
    }

    /** When the run started, UTC, and a random suffix: sortable, and distinct for runs in the same second. */
    static String runId(BenchResult result) {
        return RUN_ID.format(result.started()) + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(1 << 16));
    }

    private static boolean addShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or ran: it waits for the report
        }
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 1m30s}, {@code 1.5s}; a bare number is seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
        private static final Map<String, Long> UNITS = new LinkedHashMap<>();

        static {
            UNITS.put("ns", 1L);
            UNITS.put("us", 1_000L);
            UNITS.put("µs", 1_000L);
            UNITS.put("ms", 1_000_000L);
            UNITS.put("s", 1_000_000_000L);
            UNITS.put("m", 60_000_000_000L);
            UNITS.put("h", 3_600_000_000_000L);
        }

        @Override
        public Duration convert(String value) {
            String text = value.trim().toLowerCase(Locale.ROOT);
            if (text.matches("\\d+(\\.\\d+)?")) {
                text = text + "s";
            }
            Matcher m = PART.matcher(text);
            int at = 0;
            double nanos = 0;
            while (at < text.length()) {
                if (!m.find(at) || m.start() != at) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 10s, 500ms, 2m, 1m30s)");
                }
                nanos += Double.parseDouble(m.group(1)) * UNITS.get(m.group(2));
                at = m.end();
            }
            if (text.isEmpty() || nanos > 1e17) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 10s, 500ms, 2m, 1m30s)");
            }
            return Duration.ofNanos(Math.round(nanos));
        }
    }
}
