/**
 * The trace store, the collector and the query API under {@code /admin/traces}.
 *
 * <ul>
 *   <li>{@link dev.flint.host.traces.TraceStore}: one directory, a file per trace as received, a JSON
 *       sidecar each, invocation marks beside them, an in-memory index rebuilt at open, retention.</li>
 *   <li>{@link dev.flint.host.traces.TraceCache}: parsed traces by id, read once, LRU within a byte budget.</li>
 *   <li>{@link dev.flint.host.traces.TraceEndpoints}: the one entry point for the admin API; it routes
 *       {@code POST /admin/traces} to the collector, list, fetch and delete to the store, and
 *       {@code /admin/traces/{id}/<view>} to the query API.</li>
 * </ul>
 *
 * <p>Wiring, for a host: open the store and the cache once, make one {@code TraceEndpoints}, hand it
 * every admin request whose path it {@link dev.flint.host.traces.TraceEndpoints#owns owns} after the
 * master key check, and run {@link dev.flint.host.traces.TraceStore#enforce()} every minute or so off
 * the event loop.
 */
package dev.flint.host.traces;
