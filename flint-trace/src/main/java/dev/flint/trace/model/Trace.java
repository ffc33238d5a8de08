package dev.flint.trace.model;

import java.util.List;
import java.util.Map;

/**
 * One profile, parsed once: its samples, stacks and frames, the event names, and what the input
 * said about itself. Every query reads these tables and never the input again. Immutable, so one
 * trace can serve any number of queries at once.
 *
 * @param format   the input format, e.g. {@code perf-script}, {@code folded}, {@code jfr}
 * @param source   where it came from (a file name), for messages
 * @param events   event names, such as {@code cpu-clock}; a sample's event is an index into this list
 * @param metadata what the input's header said (perf {@code --header} keys such as {@code cmdline}, {@code clockid})
 */
public record Trace(
        String format,
        String source,
        FrameTable frames,
        StackTable stacks,
        SampleStore samples,
        List<String> events,
        Map<String, String> metadata) {

    public Trace {
        events = List.copyOf(events);
        metadata = Map.copyOf(metadata);
    }

    /** Whether the samples carry timestamps (heat maps need them). */
    public boolean timed() {
        return samples.size() > 0 && samples.time(samples.size() - 1) != SampleStore.NO_TIME;
    }

    /** The first sample's time, or {@link SampleStore#NO_TIME}. */
    public long startNanos() {
        return timed() ? samples.time(samples.firstAtOrAfter(Long.MIN_VALUE + 1)) : SampleStore.NO_TIME;
    }

    /** The last sample's time, or {@link SampleStore#NO_TIME}. */
    public long endNanos() {
        return timed() ? samples.time(samples.size() - 1) : SampleStore.NO_TIME;
    }
}
