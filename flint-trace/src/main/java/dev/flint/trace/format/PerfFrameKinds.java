package dev.flint.trace.format;

import dev.flint.trace.model.FrameKind;
import java.util.Set;

/**
 * What perf's module names (the DSO in parentheses at the end of a frame line) say about a frame,
 * and which kernel functions mean "this CPU was idle". Called once per distinct frame, never per
 * line.
 */
final class PerfFrameKinds {

    private static final String DELETED = " (deleted)";

    /** Bracketed names perf gives to user-space mappings; any other {@code [name]} is a kernel module. */
    private static final Set<String> USER_BRACKETS = Set.of("vdso", "vdso32", "vdsox32", "vvar", "vvar_vclock",
            "vsyscall", "heap", "stack", "uprobes", "vectors", "sigpage", "unknown");

    /**
     * The functions a CPU sits in while idle, and the halt/mwait primitives they end in, for the
     * kernels perf runs on: x86 (halt, mwait, intel_idle, ACPI), paravirtual and Xen guests, ARM64
     * (cpu_do_idle, PSCI) and the generic idle loop. See {@link PerfScriptParser} for how they
     * decide whether a sample is idle.
     */
    private static final Set<String> IDLE_FUNCTIONS = Set.of(
            // the generic idle loop
            "cpu_startup_entry", "do_idle", "cpu_idle", "cpu_idle_loop", "cpu_idle_poll", "cpuidle_idle_call",
            "default_idle_call", "arch_cpu_idle", "cpuidle_enter", "cpuidle_enter_state", "poll_idle",
            "cpu_bringup_and_idle",
            // x86 halt and mwait
            "default_idle", "default_enter_idle", "native_safe_halt", "pv_native_safe_halt", "safe_halt",
            "raw_safe_halt", "arch_safe_halt", "native_halt", "halt", "mwait_idle", "mwait_idle_with_hints",
            "__mwait", "__sti_mwait", "amd_e400_idle", "intel_idle", "intel_idle_irq", "intel_idle_ibrs",
            "intel_idle_xstate", "intel_idle_s2idle", "acpi_idle_enter", "acpi_idle_enter_s2idle",
            "acpi_idle_do_entry", "acpi_safe_halt", "acpi_processor_ffh_cstate_enter", "__cpuidle_text_start",
            // paravirtual guests
            "xen_hypercall_sched_op", "xen_hypercall_vcpu_op", "xen_safe_halt", "hv_idle",
            // ARM64
            "cpu_do_idle", "psci_cpu_suspend_enter", "psci_enter_idle_state", "arch_cpu_idle_enter");

    private PerfFrameKinds() {}

    /** The kind of a frame in {@code module}; {@code kernelAddress} decides for unknown modules. */
    static FrameKind kind(String module, boolean kernelAddress) {
        String m = module.endsWith(DELETED) ? module.substring(0, module.length() - DELETED.length()) : module;
        if (m.isEmpty() || m.equals("[unknown]")) {
            return kernelAddress ? FrameKind.KERNEL : FrameKind.USER;
        }
        if (m.charAt(0) == '[') {
            if (m.startsWith("[kernel.") || m.startsWith("[guest.kernel.")) {
                return FrameKind.KERNEL; // [kernel.kallsyms], [kernel.kallsyms].init.text
            }
            if (m.startsWith("[JIT]")) {
                return FrameKind.JIT; // perf's own name for jitdump code: "[JIT] tid 4242"
            }
            if (m.charAt(m.length() - 1) == ']') {
                String inner = m.substring(1, m.length() - 1);
                if (!USER_BRACKETS.contains(inner) && isModuleName(inner)) {
                    return FrameKind.KERNEL; // [nf_conntrack_ipv4], [bpf_prog]
                }
            }
            return FrameKind.USER; // [vdso], [anon:dalvik-...], [stack:42]
        }
        String base = m.substring(m.lastIndexOf('/') + 1);
        if (base.startsWith("vmlinux") || base.endsWith(".ko") || base.endsWith(".ko.xz") || base.endsWith(".ko.zst")
                || base.endsWith(".ko.gz")) {
            return FrameKind.KERNEL;
        }
        if (isPerfMap(base) || m.startsWith("//anon") || m.startsWith("/memfd:") || base.startsWith("jitted-")) {
            return FrameKind.JIT;
        }
        return FrameKind.USER;
    }

    /** A JIT's symbol file, {@code perf-<pid>.map} (usually in /tmp). */
    static boolean isPerfMap(String base) {
        if (!base.startsWith("perf-") || !base.endsWith(".map") || base.length() <= "perf-.map".length()) {
            return false;
        }
        for (int i = "perf-".length(); i < base.length() - ".map".length(); i++) {
            if (!Character.isDigit(base.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isIdleFunction(String name) {
        return IDLE_FUNCTIONS.contains(name);
    }

    /** The kernel's idle task: perf names it {@code swapper} (older perf: {@code swapper/N}). */
    static boolean isIdleTask(String comm) {
        return comm.equals("swapper") || comm.startsWith("swapper/");
    }

    private static boolean isModuleName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
