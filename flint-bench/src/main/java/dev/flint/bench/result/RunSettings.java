package dev.flint.bench.result;

import java.time.Duration;
import java.util.Objects;

/**
 * How a run was shaped, as reports state it.
 *
 * @param mode closed loop or constant rate
 * @param connections connections per target
 * @param rate requests a second per target in {@link Mode#RATE}, 0 in {@link Mode#CLOSED}
 * @param warmup load sent before measuring, excluded from results
 * @param ramp how long load grows to its full level (within or before warm-up), excluded from results
 * @param duration measured time per target, or {@code null} when the run is bounded by count
 * @param requestLimit measured requests per target, or 0 when the run is bounded by time
 * @param rounds interleaved rounds per target (1 for a single target)
 */
public record RunSettings(Mode mode, int connections, double rate, Duration warmup, Duration ramp, Duration duration,
        long requestLimit, int rounds) {

    public RunSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(ramp, "ramp");
        if (duration == null && requestLimit <= 0) {
            throw new IllegalArgumentException("a run needs a bound: a duration or a request count");
        }
    }
}
