package dev.flint.trace.model;

/**
 * What kind of code a frame is, for colours and filters. Each input format maps its own marks onto
 * these: perf by the frame's module, folded stacks by their {@code _[k]}-style suffixes, JFR by the
 * frame type.
 */
public enum FrameKind {
    /** The sampled thread's command name: the root of every perf stack, as stackcollapse-perf.pl writes it. */
    PROCESS,
    /** Kernel code: modules such as {@code [kernel.kallsyms]}, {@code vmlinux}, {@code *.ko}. */
    KERNEL,
    /** Compiled user code: executables and shared libraries. */
    USER,
    /** Code a JIT compiler produced (a JVM's perf map, {@code _[j]}, JFR "JIT compiled"). */
    JIT,
    /** A frame inlined into its caller ({@code a->b} chains, {@code _[i]}, JFR "Inlined"). */
    INLINED,
    /** Interpreted code ({@code _[0]}, JFR "Interpreted"). */
    INTERPRETED,
    /** Native code below a managed runtime (JFR "Native"). */
    NATIVE;

    private static final FrameKind[] VALUES = values();

    /** The kind with this ordinal, for the compact tables. */
    public static FrameKind of(int ordinal) {
        return VALUES[ordinal];
    }

    /** Lower-case name, as written in JSON and on the command line. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
