package dev.flint.bench.load;

import dev.flint.bench.result.Mode;
import dev.flint.bench.result.RunSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How load is offered to each target, and what bounds it. Every run is bounded: by a measured
 * duration, a measured request count, or both (whichever comes first); {@link #validate()} refuses
 * a plan without a bound or beyond the limits below, with a message that names the option.
 *
 * <p>A target's time line: its connections are opened (not timed), then the ramp, then the warm-up
 * at full load, then the measured phase. Only the measured phase is in the results. In compare mode
 * the measured phase is cut into {@link #rounds()} rounds, interleaved with the other targets'; the
 * ramp and the warm-up happen once, just before the target's first round.
 *
 * @param mode closed loop, or a constant rate
 * @param connections connections per target
 * @param rate requests a second per target, in {@link Mode#RATE}
 * @param warmup load before the measured phase, at full level, not measured
 * @param ramp time over which load grows to its level before the warm-up: the rate grows linearly
 *     from 0 ({@link Mode#RATE}), or the connections start one after another ({@link Mode#CLOSED})
 * @param duration measured time per target (all rounds together), or null
 * @param requests measured requests per target (all rounds together), or 0
 * @param rounds rounds per target (interleaved when there are several targets)
 * @param timeout how long a request may wait for its answer (and a connection for its opening)
 * @param threads event-loop threads; connections are spread over them
 */
public record LoadPlan(Mode mode, int connections, double rate, Duration warmup, Duration ramp, Duration duration,
        long requests, int rounds, Duration timeout, int threads) {

    public static final int MAX_CONNECTIONS = 10_000;
    public static final double MAX_RATE = 10_000_000;
    public static final Duration MAX_DURATION = Duration.ofHours(1);
    public static final long MAX_REQUESTS = 1_000_000_000L;
    public static final Duration MAX_WARMUP = Duration.ofMinutes(10);
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);
    public static final int MAX_ROUNDS = 1000;
    public static final int MAX_THREADS = 256;
    /** The default warm-up of a run bounded by time; a run bounded by count alone has none by default. */
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(2);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public LoadPlan {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(ramp, "ramp");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** A closed-loop plan bounded by {@code duration}, with the default timeout and one thread a core. */
    public static LoadPlan closed(int connections, Duration duration) {
        return new LoadPlan(Mode.CLOSED, connections, 0, DEFAULT_WARMUP, Duration.ZERO, duration, 0, 1,
                DEFAULT_TIMEOUT, Runtime.getRuntime().availableProcessors());
    }

    /** A constant-rate plan bounded by {@code duration}. */
    public static LoadPlan rate(double requestsPerSecond, int connections, Duration duration) {
        return new LoadPlan(Mode.RATE, connections, requestsPerSecond, DEFAULT_WARMUP, Duration.ZERO, duration, 0, 1,
                DEFAULT_TIMEOUT, Runtime.getRuntime().availableProcessors());
    }

    public LoadPlan withWarmup(Duration value) {
        return new LoadPlan(mode, connections, rate, value, ramp, duration, requests, rounds, timeout, threads);
    }

    public LoadPlan withRamp(Duration value) {
        return new LoadPlan(mode, connections, rate, warmup, value, duration, requests, rounds, timeout, threads);
    }

    public LoadPlan withDuration(Duration value) {
        return new LoadPlan(mode, connections, rate, warmup, ramp, value, requests, rounds, timeout, threads);
    }

    public LoadPlan withRequests(long value) {
        return new LoadPlan(mode, connections, rate, warmup, ramp, duration, value, rounds, timeout, threads);
    }

    public LoadPlan withRounds(int value) {
        return new LoadPlan(mode, connections, rate, warmup, ramp, duration, requests, value, timeout, threads);
    }

    public LoadPlan withTimeout(Duration value) {
        return new LoadPlan(mode, connections, rate, warmup, ramp, duration, requests, rounds, value, threads);
    }

    public LoadPlan withThreads(int value) {
        return new LoadPlan(mode, connections, rate, warmup, ramp, duration, requests, rounds, timeout, value);
    }

    /** Refuses an unbounded plan, or one beyond the limits, with what to change. */
    public void validate() {
        if (duration == null && requests <= 0) {
            throw new IllegalArgumentException("a run needs a bound: give --duration (e.g. -d 10s) or --requests"
                    + " (e.g. -n 10000), or both (the run ends at the first)");
        }
        if (duration != null) {
            if (duration.compareTo(Duration.ofMillis(1)) < 0) {
                throw new IllegalArgumentException("--duration must be at least 1ms");
            }
            if (duration.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException("--duration must be at most 1h (each run stops by itself)");
            }
        }
        if (requests < 0 || requests > MAX_REQUESTS) {
            throw new IllegalArgumentException("--requests must be from 1 to " + MAX_REQUESTS);
        }
        if (connections < 1 || connections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("--connections must be from 1 to " + MAX_CONNECTIONS);
        }
        if (mode == Mode.RATE && (!(rate > 0) || rate > MAX_RATE)) {
            throw new IllegalArgumentException("--rate must be above 0 and at most " + (long) MAX_RATE + " a second");
        }
        if (warmup.isNegative() || warmup.compareTo(MAX_WARMUP) > 0) {
            throw new IllegalArgumentException("--warmup must be from 0 to 10m");
        }
        if (ramp.isNegative() || ramp.compareTo(MAX_WARMUP) > 0) {
            throw new IllegalArgumentException("--ramp must be from 0 to 10m");
        }
        if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("--timeout must be from 1ms to 10m");
        }
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            throw new IllegalArgumentException("--rounds must be from 1 to " + MAX_ROUNDS);
        }
        if (requests > 0 && requests < rounds) {
            throw new IllegalArgumentException("--requests (" + requests + ") must be at least --rounds (" + rounds
                    + "): each round needs a request");
        }
        if (duration != null && duration.dividedBy(rounds).compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("--duration divided by --rounds must be at least 1ms a round");
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("--threads must be from 1 to " + MAX_THREADS);
        }
    }

    /** The measured time of round {@code index} (0-based) of {@link #rounds()}, or null when bounded by count only. */
    Duration roundDuration(int index) {
        if (duration == null) {
            return null;
        }
        long total = duration.toNanos();
        long base = total / rounds;
        return Duration.ofNanos(base + (index < total % rounds ? 1 : 0));
    }

    /** The measured requests of round {@code index}, or 0 when bounded by time only. */
    long roundRequests(int index) {
        if (requests <= 0) {
            return 0;
        }
        return requests / rounds + (index < requests % rounds ? 1 : 0);
    }

    /** The plan as it runs for {@code targets} targets: a single target runs in one round. */
    public LoadPlan forTargets(int targets) {
        return targets > 1 || rounds == 1 ? this : withRounds(1);
    }

    /** The settings as reports state them, for {@code targets} targets. */
    public RunSettings settings(int targets) {
        return new RunSettings(mode, connections, mode == Mode.RATE ? rate : 0, warmup, ramp, duration, requests,
                forTargets(targets).rounds());
    }
}
