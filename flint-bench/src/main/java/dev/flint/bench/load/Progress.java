package dev.flint.bench.load;

/** Hears how a run goes, a few times a second, on the thread that runs it. */
@FunctionalInterface
public interface Progress {

    /** Hears nothing. */
    Progress NONE = snapshot -> {};

    void update(Snapshot snapshot);

    /** The run is over (the last update was given). */
    default void finish() {}

    /**
     * Where a run is.
     *
     * @param target the target being loaded
     * @param round its round, from 1
     * @param rounds its rounds
     * @param phase {@code connecting}, {@code ramp}, {@code warm-up}, {@code measuring} or {@code finishing}
     * @param elapsedNanos since the whole run began
     * @param plannedNanos how long the whole run is planned to take, or -1 when it is bounded by count only
     * @param answered answers in this round so far, warm-up included
     * @param failed requests without an answer in this round so far, warm-up included
     * @param requestsPerSecond answers a second since the previous update
     */
    record Snapshot(String target, int round, int rounds, String phase, long elapsedNanos, long plannedNanos,
            long answered, long failed, double requestsPerSecond) {}
}
