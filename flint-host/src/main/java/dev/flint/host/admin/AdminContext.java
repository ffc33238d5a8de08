package dev.flint.host.admin;

import dev.flint.host.HostOptions;
import dev.flint.host.admission.Authorizer;
import dev.flint.host.admission.FunctionThrottle;
import dev.flint.host.app.FunctionApp;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.auth.KeyStore;
import dev.flint.host.invoke.FailureResponses;
import dev.flint.host.process.HandlerSupervisor;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the admin API reads and changes, shared by every event loop.
 *
 * @param supervisor      the handler's supervisor; empty when the app has no function to run
 * @param keys            the key store; empty when it could not be opened, see {@code keysUnavailable}
 * @param keysUnavailable why there is no key store, for the 409 of the key endpoints
 * @param throttles       each throttled function's throttle, by identity
 * @param port            the front door's port, for URLs and for running HTTP functions through it
 * @param openConnections how many connections are open now
 * @param invocations     hears of every invocation's end (invocation marks for profiles)
 * @param traces          the trace collector, store and query API; empty when the store could not be opened
 * @param profiling       perf capture of the handler; empty without a trace store
 */
public record AdminContext(
        FunctionApp app,
        HostOptions options,
        Optional<HandlerSupervisor> supervisor,
        Optional<KeyStore> keys,
        String keysUnavailable,
        Authorizer authorizer,
        FailureResponses failures,
        Map<FunctionDefinition, FunctionThrottle> throttles,
        Instant startedAt,
        int port,
        java.util.function.IntSupplier openConnections,
        dev.flint.host.invoke.Invocation.Listener invocations,
        Optional<dev.flint.host.traces.TraceEndpoints> traces,
        Optional<dev.flint.host.profile.HostProfiling> profiling) {}
