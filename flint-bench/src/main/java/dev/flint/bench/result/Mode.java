package dev.flint.bench.result;

/** How load is offered. */
public enum Mode {
    /** N connections, each sending its next request as soon as the previous answer is in. */
    CLOSED,
    /**
     * A constant request rate; each request's latency counts from its intended send time, so that a
     * stall shows in the percentiles instead of silently slowing the sender (coordinated omission).
     */
    RATE
}
