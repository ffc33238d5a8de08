/**
 * Profiling the handlers Flint runs, with perf, and no change to the function: the capture side of
 * issue 5.
 *
 * <ul>
 *   <li>{@link dev.flint.host.profile.PerfAvailability}: whether perf is here and may sample, checked
 *       once, with the reason and the fix when not (profile requests then answer 503 with it).</li>
 *   <li>{@link dev.flint.host.profile.ProfilingSettings}: host.json's {@code profiling} section
 *       (frequency, window, retention, JVM mode) and its problems.</li>
 *   <li>{@link dev.flint.host.profile.PerfRecorder}: one window of {@code perf record -e cpu-clock -g -k mono}
 *       over the handler's processes (by pid, or by cgroup v2 where {@link dev.flint.host.profile.CgroupV2}
 *       finds it writable), then {@code perf script --header}; JVMs get names for their JIT code through
 *       {@link dev.flint.host.profile.JitSymbols}.</li>
 *   <li>{@link dev.flint.host.profile.InvocationMarks}: the last invocations, on perf's clock, and the
 *       {@code <id>.invocations} file format.</li>
 *   <li>{@link dev.flint.host.profile.ProfileWindows}: continuous windows and on-demand profiles,
 *       one perf at a time, stored through a {@link dev.flint.host.profile.TraceSink} with
 *       {@link dev.flint.host.profile.ProfileLabels}.</li>
 * </ul>
 *
 * Everything that waits (perf, jcmd, perf script) runs on virtual threads; nothing here is called on
 * an event loop except {@link dev.flint.host.profile.InvocationMarks#record}, which never blocks.
 */
package dev.flint.host.profile;
