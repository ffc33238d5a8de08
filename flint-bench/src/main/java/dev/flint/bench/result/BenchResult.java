package dev.flint.bench.result;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One {@code flint bench} run: its shape and each target's result, in the order the targets were
 * given (the first is the baseline that ratios are taken against).
 */
public record BenchResult(Instant started, RunSettings settings, List<TargetResult> targets) {

    public BenchResult {
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(settings, "settings");
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a result needs at least one target");
        }
    }
}
