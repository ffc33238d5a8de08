package dev.flint.trace.query;

import dev.flint.trace.model.SampleStore;

/**
 * What a query adds up per sample row: the number of samples it stands for, or the weight the
 * profiler gave it (perf's period: nanoseconds for {@code cpu-clock}, events for {@code cycles}).
 * FlameScope counts samples; {@code stackcollapse-perf.pl} sums periods since 2022. A result names
 * its unit.
 */
public enum Measure {
    /** {@link SampleStore#count}: unit "samples". */
    SAMPLES,
    /** {@link SampleStore#weight}: unit "ns" for perf's cpu-clock and task-clock, else "weight". */
    WEIGHT;

    long of(SampleStore store, int row) {
        return this == SAMPLES ? store.count(row) : store.weight(row);
    }

    /**
     * The unit of this measure for samples of {@code event}. Only perf's software clocks are known to
     * weigh in nanoseconds; anything else is called "weight" rather than guessed.
     */
    public String unit(EventChoice event) {
        if (this == SAMPLES) {
            return "samples";
        }
        String name = event.name();
        if (name == null && event.available().size() == 1) {
            name = event.available().get(0);
        }
        if (name != null && (isClock(name, "cpu-clock") || isClock(name, "task-clock"))) {
            return "ns";
        }
        return "weight";
    }

    private static boolean isClock(String event, String clock) {
        // perf writes modifiers after a colon: cpu-clock:pppH, task-clock:u
        return event.equals(clock) || event.startsWith(clock + ":");
    }
}
