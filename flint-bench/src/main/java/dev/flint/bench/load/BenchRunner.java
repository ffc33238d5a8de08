package dev.flint.bench.load;

import dev.flint.bench.result.BenchResult;
import dev.flint.bench.result.TargetResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.HdrHistogram.Histogram;

/**
 * Runs one target, or several side by side: in interleaved rounds (A B C A B C ...) so that what
 * drifts on the machine over time (frequency, other processes, caches) hits every target alike.
 * Each target gets its ramp and warm-up once, just before its first round; each round then measures
 * {@code duration/rounds} (or {@code requests/rounds}); rounds are summed per target. A single
 * target runs in one round. The order the rounds ran in is kept ({@link #rounds()}).
 */
public final class BenchRunner {

    /**
     * A target.
     *
     * @param name its name in reports
     * @param request what it is sent
     * @param function the function of the running Flint app it is, or null (for {@code --profile})
     */
    public record Target(String name, RequestSpec request, String function) {
        public Target {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(request, "request");
        }
    }

    /** A round that ran: target name and round number from 1. */
    public record Round(String target, int round) {}

    /**
     * Called when a target's measured phase begins (its first round), to profile it: answers the
     * trace's URL when the profile is done, or null (the hook reports its own problems).
     */
    @FunctionalInterface
    public interface ProfileHook {
        CompletableFuture<String> measuredPhaseStarts(Target target, Duration window);
    }

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LoadEngine engine;
    private final LoadPlan plan;
    private final Progress progress;
    private ProfileHook profileHook;
    private Duration profileWindow;
    private final List<Round> rounds = new ArrayList<>();
    private volatile boolean stopRequested;
    private volatile long stopRequestedAt;
    private volatile LoadRun current;

    public BenchRunner(LoadEngine engine, LoadPlan plan, Progress progress) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.plan = Objects.requireNonNull(plan, "plan");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Profiles each target whose {@link Target#function()} is set, during its measured phase, for
     * {@code window} (null: its first round's measured time, or 10 s when the run is bounded by count).
     */
    public BenchRunner profile(ProfileHook hook, Duration window) {
        this.profileHook = hook;
        this.profileWindow = window;
        return this;
    }

    /** Ends the run soon, from any thread (Ctrl-C): no new round, no new request; what was measured stays. */
    public void stop() {
        if (!stopRequested) {
            stopRequestedAt = System.nanoTime();
            stopRequested = true;
        }
        LoadRun run = current;
        if (run != null) {
            run.stop();
        }
    }

    /** Whether {@link #stop()} cut the run short. */
    public boolean stopped() {
        return stopRequested;
    }

    /** The rounds in the order they ran. */
    public List<Round> rounds() {
        synchronized (rounds) {
            return List.copyOf(rounds);
        }
    }

    /** Runs the targets (in the order given) and answers what their measured phases gave. */
    public BenchResult run(List<Target> targets) throws InterruptedException {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("nothing to load: give a target");
        }
        Set<String> names = new HashSet<>();
        for (Target target : targets) {
            if (!names.add(target.name())) {
                throw new IllegalArgumentException("two targets are named \"" + target.name() + "\"; give each its own name");
            }
            target.request().validate();
        }
        LoadPlan effective = plan.forTargets(targets.size());
        effective.validate();
        Instant started = Instant.now();
        long startedNanos = System.nanoTime();
        long planned = effective.duration() == null ? -1
                : targets.size() * (effective.ramp().toNanos() + effective.warmup().toNanos() + effective.duration().toNanos());

        List<EncodedRequests> encoded = new ArrayList<>();
        List<Accumulated> totals = new ArrayList<>();
        try {
            for (Target target : targets) {
                encoded.add(engine.encode(target.request(), RandomGenerator.of("L64X128MixRandom")));
                totals.add(new Accumulated());
            }
            rounds:
            for (int round = 0; round < effective.rounds(); round++) {
                for (int t = 0; t < targets.size(); t++) {
                    if (stopRequested) {
                        break rounds;
                    }
                    Target target = targets.get(t);
                    boolean first = round == 0;
                    LoadRun run = engine.newRun(encoded.get(t), effective.mode(), effective.connections(),
                            effective.rate(), first ? effective.ramp() : Duration.ZERO,
                            first ? effective.warmup() : Duration.ZERO, effective.roundDuration(round),
                            effective.roundRequests(round), effective.timeout());
                    synchronized (rounds) {
                        rounds.add(new Round(target.name(), round + 1));
                    }
                    Accumulated total = totals.get(t);
                    drive(run, target, round + 1, effective, startedNanos, planned,
                            first && profileHook != null && target.function() != null ? total : null);
                    total.add(run.outcome());
                }
            }
        } finally {
            current = null;
            progress.finish();
            for (EncodedRequests requests : encoded) {
                requests.release();
            }
        }
        List<TargetResult> results = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            Target target = targets.get(t);
            Accumulated total = totals.get(t);
            results.add(new TargetResult(target.name(), target.request().url(), target.request().normalizedMethod(),
                    total.measuredNanos, total.answered, total.bytes, total.statuses(), total.errors(), total.latency,
                    total.traceUrl(stopRequested)));
        }
        return new BenchResult(started, effective.settings(targets.size()), results);
    }

    /** Opens, starts and watches one run until it is done; {@code profileInto}: start the profile into it. */
    private void drive(LoadRun run, Target target, int round, LoadPlan effective, long startedNanos, long planned,
            Accumulated profileInto) throws InterruptedException {
        current = run;
        if (stopRequested) {
            run.stop();
        }
        report(run, target, round, effective, startedNanos, planned, "connecting", 0, 0);
        run.open();
        run.start();
        boolean profiled = profileInto == null;
        long lastTick = System.nanoTime();
        long lastAnswered = 0;
        String lastPhase = phase(run, lastTick);
        report(run, target, round, effective, startedNanos, planned, lastPhase, 0, 0);
        try {
            while (true) {
                long now = System.nanoTime();
                if (!profiled && now >= run.measureStart()) {
                    profiled = true;
                    Duration window = profileWindow != null ? profileWindow
                            : effective.roundDuration(0) != null ? effective.roundDuration(0) : Duration.ofSeconds(10);
                    profileInto.trace = profileHook.measuredPhaseStarts(target, window);
                    profileInto.traceWindow = window;
                }
                if (stopRequested && now - stopRequestedAt > STOP_GRACE_NANOS) {
                    run.abort();
                    break;
                }
                if (now > run.deadline()) {
                    run.abort();
                    break;
                }
                // Wake for the next progress tick, or the next phase (to say so, and to start a profile).
                long wake = lastTick + TICK_NANOS;
                for (long boundary : new long[] {run.rampEnd(), run.measureStart(), run.measureEnd()}) {
                    if (boundary > now) {
                        wake = Math.min(wake, boundary);
                    }
                }
                if (run.await(wake - now)) {
                    break;
                }
                now = System.nanoTime();
                String phase = phase(run, now);
                if (now - lastTick >= TICK_NANOS || !phase.equals(lastPhase)) {
                    long answered = run.answeredSoFar();
                    double rate = now > lastTick ? (answered - lastAnswered) * 1e9 / (now - lastTick) : 0;
                    report(run, target, round, effective, startedNanos, planned, phase, answered, rate);
                    lastAnswered = answered;
                    lastTick = now;
                    lastPhase = phase;
                }
            }
        } finally {
            run.close();
        }
    }

    private void report(LoadRun run, Target target, int round, LoadPlan effective, long startedNanos, long planned,
            String phase, long answered, double rate) {
        progress.update(new Progress.Snapshot(target.name(), round, effective.rounds(), phase,
                System.nanoTime() - startedNanos, planned, answered, run.failedSoFar(), rate));
    }

    private static String phase(LoadRun run, long now) {
        if (now < run.rampEnd()) {
            return "ramp";
        }
        if (now < run.measureStart()) {
            return "warm-up";
        }
        return now < run.measureEnd() ? "measuring" : "finishing";
    }

    /** One target's rounds, summed. */
    private static final class Accumulated {
        final Histogram latency = WorkerSlice.newHistogram();
        final long[] statusCounts = new long[WorkerSlice.STATUS_CODES];
        final long[] errorCounts = new long[ErrorKind.count()];
        long answered;
        long bytes;
        long measuredNanos;
        CompletableFuture<String> trace;
        Duration traceWindow;

        void add(LoadRun.Outcome outcome) {
            latency.add(outcome.latency());
            for (int i = 0; i < statusCounts.length; i++) {
                statusCounts[i] += outcome.statuses()[i];
            }
            for (int i = 0; i < errorCounts.length; i++) {
                errorCounts[i] += outcome.errors()[i];
            }
            answered += outcome.answered();
            bytes += outcome.bytes();
            measuredNanos += outcome.measuredNanos();
        }

        SortedMap<Integer, Long> statuses() {
            SortedMap<Integer, Long> out = new TreeMap<>();
            for (int i = 0; i < statusCounts.length; i++) {
                if (statusCounts[i] > 0) {
                    out.put(i, statusCounts[i]);
                }
            }
            return out;
        }

        SortedMap<String, Long> errors() {
            SortedMap<String, Long> out = new TreeMap<>();
            for (int i = 0; i < errorCounts.length; i++) {
                if (errorCounts[i] > 0) {
                    out.put(ErrorKind.of(i).key(), errorCounts[i]);
                }
            }
            return out;
        }

        /** The trace's URL, once the profile is done (it ends with its window); null without one. */
        String traceUrl(boolean hurry) throws InterruptedException {
            if (trace == null) {
                return null;
            }
            try {
                return trace.get(hurry ? 2 : traceWindow.toSeconds() + 60, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return null;
            }
        }
    }
}
