package dev.flint.host.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one handler process running: starts it with a fresh port, waits until it answers
 * {@code GET /}, restarts it with back-off whenever it exits, and stops it (SIGTERM, grace period,
 * SIGKILL, descendants included) when Flint stops.
 *
 * <p>Threading: all control work runs on one virtual thread ({@link #run()}); the request path only
 * reads {@link #current} (a volatile future) and never blocks.
 */
public final class HandlerSupervisor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("Host.Function.Console");
    private static final Logger HOST = LoggerFactory.getLogger("Host.Startup");
    private static final long PROBE_INTERVAL_MILLIS = 25; // Azure probes every 25 ms
    private static final Duration MIN_BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A process that ran this long before exiting was healthy; its restart starts a fresh back-off. */
    private static final Duration STABLE_RUN = Duration.ofSeconds(60);
    private static final String LOOPBACK = "127.0.0.1";

    private final String appName;
    private final HandlerCommand command;
    private final Optional<Integer> fixedPort;
    private final Duration startupTimeout;
    private final Duration gracePeriod;
    private final ProcessPlacement placement;

    private volatile CompletableFuture<HandlerEndpoint> current = new CompletableFuture<>();
    private volatile String lastFailure = "the handler has not started yet";
    private volatile HandlerStatus status = new HandlerStatus(HandlerStatus.State.STARTING, -1, -1, 0,
            "the handler has not started yet", java.time.Instant.now());
    private int starts;
    /** Guards {@link #stopping} and {@link #process} together, so that no process is spawned after close(). */
    private final Object lifecycle = new Object();
    private final java.util.concurrent.CountDownLatch stopSignal = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean noMoreStarts;
    private volatile Process process;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private Thread controlThread;

    /** @param placement where each spawned handler process goes (its cgroup), released at close */
    public HandlerSupervisor(String appName, HandlerCommand command, Optional<Integer> fixedPort,
                             Duration startupTimeout, Duration gracePeriod, ProcessPlacement placement) {
        this.placement = placement;
        this.appName = appName;
        this.command = command;
        this.fixedPort = fixedPort;
        this.startupTimeout = startupTimeout;
        this.gracePeriod = gracePeriod;
    }

    /** Starts the control loop; returns at once. {@link #ready()} completes when the handler answers. */
    public void start() {
        controlThread = Thread.ofVirtual().name("flint-supervisor-" + appName).start(this::run);
    }

    /** The ready handler, or a future that completes when it is; never completes exceptionally before stop. */
    public CompletableFuture<HandlerEndpoint> ready() {
        return current;
    }

    public Duration startupTimeout() {
        return startupTimeout;
    }

    /** What the handler is doing now. */
    public HandlerStatus status() {
        return status;
    }

    private void enter(HandlerStatus.State state, long pid, int port) {
        status = new HandlerStatus(state, pid, port, Math.max(0, starts - 1), lastFailure, java.time.Instant.now());
    }

    /** Why the handler is not ready, for error messages. */
    public String lastFailure() {
        return lastFailure;
    }


    private void run() {
        Duration backoff = MIN_BACKOFF;
        while (!shuttingDown()) {
            long startedAt = System.nanoTime();
            runOnce();
            if (shuttingDown()) {
                break;
            }
            Duration ran = Duration.ofNanos(System.nanoTime() - startedAt);
            backoff = ran.compareTo(STABLE_RUN) >= 0 ? MIN_BACKOFF : backoff;
            HOST.warn("Restarting the handler of {} in {} ms", appName, backoff.toMillis());
            awaitStop(backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        stopped.complete(null);
    }

    /** Starts the process, waits until it is ready, then until it exits. */
    private void runOnce() {
        int port = fixedPort.orElseGet(HandlerSupervisor::freeLoopbackPort);
        ProcessBuilder builder = new ProcessBuilder(command.command()).directory(command.workingDirectory().toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(command.environment());
        String workerId = UUID.randomUUID().toString();
        env.put("FUNCTIONS_CUSTOMHANDLER_PORT", Integer.toString(port));
        env.put("FUNCTIONS_HTTPWORKER_PORT", Integer.toString(port));
        env.put("FUNCTIONS_CUSTOMHANDLER_WORKER_ID", workerId);
        env.put("FUNCTIONS_HTTPWORKER_ID", workerId);

        Process p;
        synchronized (lifecycle) {
            if (stopping || noMoreStarts) {
                return;
            }
            try {
                p = builder.start();
            } catch (IOException e) {
                lastFailure = "the handler could not be started: " + e.getMessage();
                HOST.error("Cannot start the handler of {} ({}): {}", appName, String.join(" ", command.command()), e.getMessage());
                return;
            }
            process = p;
            starts++;
            place(p);
            enter(HandlerStatus.State.STARTING, p.pid(), port);
            // Logged inside the lock, so that the console never shows a start after the stop began.
            HOST.info("Started the handler of {}: pid {}, port {}: {}", appName, p.pid(), port, String.join(" ", command.command()));
        }
        long pid = p.pid();
        String tag = appName + " " + pid;
        OutputPump out = new OutputPump("flint-stdout-" + pid, p.getInputStream(), line -> LOG.info("[{}] {}", tag, line));
        OutputPump err = new OutputPump("flint-stderr-" + pid, p.getErrorStream(), line -> {
            // Azure logs handler stderr at Error, or at Warning when the line says "warn". The JVM's
            // note of the frame-pointer option Flint gives every handler is not an error.
            if (line.startsWith("Picked up JAVA_TOOL_OPTIONS:")) {
                LOG.info("[{}] {}", tag, line);
            } else if (line.toLowerCase(java.util.Locale.ROOT).contains("warn")) {
                LOG.warn("[{}] {}", tag, line);
            } else {
                LOG.error("[{}] {}", tag, line);
            }
        });
        out.start();
        err.start();
        try {
            p.getOutputStream().close(); // handlers get no stdin, as under Azure
        } catch (IOException ignored) {
            // nothing was written; closing cannot lose data
        }

        CompletableFuture<Integer> exit = p.onExit().thenApply(Process::exitValue);
        long spawnedAt = System.nanoTime();
        long deadline = spawnedAt + startupTimeout.toNanos();
        boolean ready = false;
        while (!shuttingDown() && p.isAlive() && System.nanoTime() < deadline) {
            if (ReadinessProbe.answers(LOOPBACK, port)) {
                ready = true;
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PROBE_INTERVAL_MILLIS));
        }
        if (ready) {
            HOST.info("The handler of {} is ready on port {} ({} ms after start)", appName, port,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - spawnedAt));
            lastFailure = "the handler is ready";
            enter(HandlerStatus.State.READY, pid, port);
            current.complete(new HandlerEndpoint(LOOPBACK, port, pid, exit));
        } else if (!shuttingDown() && p.isAlive()) {
            lastFailure = "the handler (pid " + pid + ") did not answer GET / on port " + port + " within "
                    + startupTimeout.toSeconds() + " s (set flint.handlerStartupTimeout in host.json or "
                    + "--startup-timeout to allow more); is it listening on FUNCTIONS_CUSTOMHANDLER_PORT?";
            HOST.error("Initializing the handler of {} timed out: {}", appName, lastFailure);
            terminate(p);
        }
        int code = waitFor(p); // close() terminates the published process
        err.awaitEnd(1_000);
        out.awaitEnd(1_000);
        if (!shuttingDown()) {
            // Replace the completed future first, so that new invocations wait for the restart.
            if (current.isDone()) {
                current = new CompletableFuture<>();
            }
            List<String> tail = err.lastLines();
            String reason = "the handler (pid " + pid + ") exited with code " + code
                    + (ready ? "" : " before it answered GET / on port " + port);
            lastFailure = reason + (tail.isEmpty() ? "" : "; last stderr line: " + tail.get(tail.size() - 1));
            enter(HandlerStatus.State.RESTARTING, pid, port);
            HOST.error("The handler of {} (pid {}) exited with code {}{}", appName, pid, code,
                    tail.isEmpty() ? "; it wrote nothing to stderr" : ". Last lines of its stderr:\n  " + String.join("\n  ", tail));
        } else {
            enter(HandlerStatus.State.STOPPED, pid, port);
            HOST.info("The handler of {} (pid {}) exited with code {} as Flint stops", appName, pid, code);
        }
    }

    /** A handler that cannot be placed still serves; only sampling by cgroup misses it (perf then samples by pid). */
    private void place(Process p) {
        try {
            placement.place(p);
        } catch (IOException | RuntimeException e) {
            HOST.warn("The handler of {} (pid {}) runs outside its cgroup: {}", appName, p.pid(), e.getMessage());
        }
    }

    private static int waitFor(Process p) {
        while (true) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                // Nothing interrupts the control thread on purpose; the process still has to be reaped.
            }
        }
    }

    /** SIGTERM to the process and its descendants, then SIGKILL to what is left after the grace period. */
    private void terminate(Process p) {
        List<ProcessHandle> family = new java.util.ArrayList<>(p.descendants().toList());
        family.add(p.toHandle());
        family.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        for (ProcessHandle h : family) {
            long left = deadline - System.nanoTime();
            try {
                h.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                HOST.warn("Handler process {} did not stop within {} ms of SIGTERM; killing it", h.pid(), gracePeriod.toMillis());
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            } catch (java.util.concurrent.ExecutionException e) {
                // onExit() does not fail; nothing to wait for
            }
        }
    }

    /** Flint is stopping, or about to: an exit now is expected, not a crash to restart. */
    private boolean shuttingDown() {
        return stopping || noMoreStarts;
    }

    /**
     * No process is started from now on (the running one keeps serving): the first step of a
     * shutdown, so that a stop that races with start-up never spawns a handler only to kill it.
     */
    public void preventStarts() {
        synchronized (lifecycle) {
            noMoreStarts = true;
        }
    }

    /** Stops the handler and waits for it to be gone. Idempotent. */
    @Override
    public void close() {
        Process p;
        boolean first;
        synchronized (lifecycle) {
            first = !stopping;
            stopping = true;
            p = first ? process : null;
        }
        if (p != null && p.isAlive()) {
            HOST.info("Stopping the handler of {} (pid {})", appName, p.pid());
            terminate(p);
        }
        stopSignal.countDown();
        if (controlThread != null) {
            stopped.join();
        } else {
            stopped.complete(null);
        }
        if (first) {
            placement.release(); // what escaped the handler's process tree is still in its cgroup
        }
        current.completeExceptionally(new IllegalStateException("Flint is stopping"));
    }

    /** Waits out a restart back-off, returning early when Flint stops. */
    private void awaitStop(Duration d) {
        try {
            stopSignal.await(d.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }
}
