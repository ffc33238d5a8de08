package dev.flint.trace.query;

import java.util.List;

/**
 * Which event a query counted. A trace may mix events ({@code cycles} and {@code instructions}):
 * adding them up means nothing, so a filter that names none takes the trace's first event, as
 * {@code stackcollapse-perf.pl} does, and the result says so here.
 *
 * @param id        index into the trace's events, or {@link #ALL_EVENTS} when every event was counted
 * @param name      that event's name, or null when every event was counted
 * @param defaulted true when the filter named no event and the first one was taken
 * @param available every event of the trace, in order
 */
public record EventChoice(int id, String name, boolean defaulted, List<String> available) {

    /** The {@link #id} when samples of every event were counted. */
    public static final int ALL_EVENTS = -1;

    public EventChoice {
        available = List.copyOf(available);
    }

    public boolean allEvents() {
        return id == ALL_EVENTS;
    }

    /** Whether the trace has events this query left out. */
    public boolean othersLeftOut() {
        return id != ALL_EVENTS && available.size() > 1;
    }

    /** One line for a legend, e.g. "cpu-clock (the first of 2 events; others: cycles)". */
    public String describe() {
        if (id == ALL_EVENTS) {
            return available.size() <= 1 ? (available.isEmpty() ? "all samples" : available.get(0))
                    : "all events added up: " + String.join(", ", available);
        }
        if (available.size() <= 1) {
            return name;
        }
        List<String> others = available.stream().filter(e -> !e.equals(name)).toList();
        return name + (defaulted ? " (the first of " + available.size() + " events; others: " : " (others: ")
                + String.join(", ", others) + ")";
    }
}
