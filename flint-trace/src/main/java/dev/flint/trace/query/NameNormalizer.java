package dev.flint.trace.query;

import java.util.Objects;

/**
 * Rewrites frame names so that the same code has the same name on two machines, or two runs, before
 * a {@link Differential} matches them. Each rule is a static function here, documented with what it
 * rewrites and why it differs between machines; {@link #CROSS_MACHINE} applies them all, in the
 * order they are listed; {@link #NONE} leaves names alone (two ranges of one trace).
 *
 * <p>Every rule returns its argument itself when there is nothing to rewrite (the common case),
 * after a cheap check, so normalising every frame of a trace costs little.
 */
@FunctionalInterface
public interface NameNormalizer {

    String normalize(String name);

    /** Names as they are: for diffs within one trace, or two traces of one build on one machine. */
    NameNormalizer NONE = name -> name;

    /** Every rule below, in order: for diffs across machines, builds or runs. */
    NameNormalizer CROSS_MACHINE = NameNormalizer::crossMachine;

    /** This normalizer, then {@code next}. */
    default NameNormalizer andThen(NameNormalizer next) {
        Objects.requireNonNull(next, "next");
        return name -> next.normalize(normalize(name));
    }

    /** All rules, in the order they are declared below. */
    static String crossMachine(String name) {
        String s = stripOffset(name);
        s = stripSymbolVersion(s);
        s = dsoBasename(s);
        s = jvmGeneratedClasses(s);
        s = numberedStubs(s);
        return hexAddresses(s);
    }

    /**
     * A trailing instruction offset, {@code memcpy+0x1c} → {@code memcpy}: offsets depend on the
     * build and the sample. Only a trailing {@code +0x} followed by hex digits goes, so that C++
     * {@code operator+} and {@code operator++} survive (FlameScope cuts at the first {@code +}).
     */
    static String stripOffset(String name) {
        int plus = name.lastIndexOf("+0x");
        if (plus <= 0 || plus + 3 == name.length() || !hexRun(name, plus + 3, name.length())) {
            return name;
        }
        return name.substring(0, plus);
    }

    /**
     * A trailing ELF symbol version, {@code memcpy@@GLIBC_2.14} or {@code pthread_create@GLIBC_2.2.5}
     * → {@code memcpy}, {@code pthread_create}: libc versions differ between distributions. A version
     * is an upper-case name with an underscore ({@code GLIBC_2.2.5}, {@code GLIBC_PRIVATE},
     * {@code CXXABI_1.3}, {@code OPENSSL_3.0.0}), so {@code malloc@plt} stays: a PLT stub is a PLT stub.
     */
    static String stripSymbolVersion(String name) {
        int at = name.lastIndexOf('@');
        if (at <= 0 || at == name.length() - 1) {
            return name;
        }
        int version = at + 1;
        boolean underscore = false;
        if (!isUpper(name.charAt(version))) {
            return name;
        }
        for (int i = version; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_') {
                underscore = true;
            } else if (!(isUpper(c) || isDigit(c) || c == '.')) {
                return name;
            }
        }
        if (!underscore) {
            return name;
        }
        int end = name.charAt(at - 1) == '@' ? at - 1 : at;
        return end == 0 ? name : name.substring(0, end);
    }

    /**
     * Directories of a module path, keeping the base name: {@code /usr/lib/x86_64-linux-gnu/libc.so.6}
     * → {@code libc.so.6}, {@code [/opt/app/bin/handler]} → {@code [handler]}, and within a name such as
     * {@code handle (/srv/app/main.py:12)} → {@code handle (main.py:12)}: install paths differ, and
     * frames without a symbol are named after their module. A path is a token that starts with
     * {@code /} at the start of the name or after a space, {@code (} or {@code [}; so
     * {@code kworker/0:1} and {@code java/lang/String.hashCode} stay. Also perf's JIT map of a process,
     * {@code perf-12345.map} → {@code perf-PID.map}: the pid differs on every run.
     */
    static String dsoBasename(String name) {
        if (name.indexOf('/') < 0 && !name.contains("perf-")) {
            return name;
        }
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) != '/' || !(i == 0 || " ([".indexOf(name.charAt(i - 1)) >= 0)) {
                continue;
            }
            int end = i;
            int lastSlash = i;
            while (end < name.length() && " )]:".indexOf(name.charAt(end)) < 0) {
                if (name.charAt(end) == '/') {
                    lastSlash = end;
                }
                end++;
            }
            if (lastSlash + 1 < end) { // a base name to keep
                if (out == null) {
                    out = new StringBuilder(name.length());
                }
                out.append(name, copied, i);
                copied = lastSlash + 1;
            }
            i = end - 1;
        }
        String s = out == null ? name : out.append(name, copied, name.length()).toString();
        return perfMapPid(s);
    }

    /**
     * Names the JVM generates, numbered in load order: lambda classes
     * ({@code Main$$Lambda$123/0x0000000800c0b440.run}, JDK 21's {@code Main$$Lambda/0x000001f0010a3a48.run},
     * {@code Main$$Lambda+0x0000000800c0b440.run}, {@code Main$$Lambda.0x0000000800c0b440.run},
     * JDK 8's {@code Main$$Lambda$1/1831932724.run}) → {@code Main$$Lambda.run}; other hidden classes
     * ({@code LambdaForm$MH/0x0000000800c04c00.invoke} → {@code LambdaForm$MH.invoke}); proxies
     * ({@code jdk.proxy2.$Proxy12.invoke} → {@code jdk.proxy.$Proxy.invoke}); reflection accessors
     * ({@code GeneratedMethodAccessor42.invoke} → {@code GeneratedMethodAccessor.invoke}). async-profiler's
     * {@code --norm} does the same for the same reason: random ids in class names spoil a comparison.
     */
    static String jvmGeneratedClasses(String name) {
        if (name.indexOf('$') < 0 && !name.contains("Accessor") && !name.contains("jdk.proxy")) {
            return name;
        }
        String s = name;
        s = dropAfter(s, "$$Lambda", true);
        s = dropAfter(s, "LambdaForm$", false);
        s = dropDigitsAfter(s, "$Proxy");
        s = dropDigitsAfter(s, "jdk.proxy");
        s = dropDigitsAfter(s, "GeneratedMethodAccessor");
        s = dropDigitsAfter(s, "GeneratedConstructorAccessor");
        s = dropDigitsAfter(s, "GeneratedSerializationConstructorAccessor");
        return s;
    }

    /**
     * A trailing generation number of a JIT stub: HotSpot names its stub blobs in a perf map
     * {@code StubRoutines (1)}, {@code StubRoutines (2)}, ... in the order they were generated, which
     * differs between JDK builds and CPUs → {@code StubRoutines}. Only a trailing space, then digits in
     * parentheses.
     */
    static String numberedStubs(String name) {
        int n = name.length();
        if (n < 4 || name.charAt(n - 1) != ')') {
            return name;
        }
        int open = name.lastIndexOf(" (");
        if (open <= 0 || open + 2 >= n - 1) {
            return name;
        }
        for (int i = open + 2; i < n - 1; i++) {
            if (!isDigit(name.charAt(i))) {
                return name;
            }
        }
        return name.substring(0, open);
    }

    /**
     * Hex addresses, {@code 0x7f3a2c001234} → {@code 0x...}, as {@code difffolded.pl -s} does:
     * addresses of unsymbolised code, of JIT blobs and of hidden classes change with every run (ASLR).
     * A {@code 0x} starts an address only at the start of the name or after a character that cannot
     * be part of an identifier.
     */
    static String hexAddresses(String name) {
        int at = name.indexOf("0x");
        if (at < 0) {
            return name;
        }
        StringBuilder out = null;
        int copied = 0;
        for (int i = at; i >= 0 && i < name.length(); i = name.indexOf("0x", i + 1)) {
            int end = i + 2;
            while (end < name.length() && isHex(name.charAt(end))) {
                end++;
            }
            if (end == i + 2 || (i > 0 && isIdentifierPart(name.charAt(i - 1)))) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(name.length());
            }
            out.append(name, copied, i).append("0x...");
            copied = end;
            i = end - 1;
        }
        return out == null ? name : out.append(name, copied, name.length()).toString();
    }

    // --- helpers of the rules above ---

    /** {@code perf-<digits>.map} → {@code perf-PID.map}. */
    private static String perfMapPid(String s) {
        int at = s.indexOf("perf-");
        while (at >= 0) {
            int end = at + 5;
            while (end < s.length() && isDigit(s.charAt(end))) {
                end++;
            }
            if (end > at + 5 && s.startsWith(".map", end)) {
                s = s.substring(0, at + 5) + "PID" + s.substring(end);
            }
            at = s.indexOf("perf-", at + 5);
        }
        return s;
    }

    /**
     * After each {@code marker} (and the class-name letters that follow it when {@code lambda} is
     * false, e.g. {@code MH} of {@code LambdaForm$MH}), drops the numbering parts {@code $123},
     * {@code /0x...}, {@code /123}, {@code +0x...} and {@code .0x...}.
     */
    private static String dropAfter(String s, String marker, boolean lambda) {
        int at = s.indexOf(marker);
        while (at >= 0) {
            int keep = at + marker.length();
            if (!lambda) {
                while (keep < s.length() && isIdentifierPart(s.charAt(keep)) && s.charAt(keep) != '$') {
                    keep++;
                }
            }
            int end = keep;
            while (true) {
                int next = numberingPart(s, end, lambda);
                if (next == end) {
                    break;
                }
                end = next;
            }
            if (end > keep) {
                s = s.substring(0, keep) + s.substring(end);
            }
            at = s.indexOf(marker, keep);
        }
        return s;
    }

    /** The end of one numbering part starting at {@code i}, or {@code i} if none starts there. */
    private static int numberingPart(String s, int i, boolean lambda) {
        if (i + 1 >= s.length()) {
            return i;
        }
        char c = s.charAt(i);
        if (c == '$' && lambda) {
            return digitsEnd(s, i + 1) > i + 1 ? digitsEnd(s, i + 1) : i;
        }
        if (c == '/' || c == '+' || c == '.') {
            if (s.startsWith("0x", i + 1)) {
                int end = i + 3;
                while (end < s.length() && isHex(s.charAt(end))) {
                    end++;
                }
                return end > i + 3 ? end : i;
            }
            if (c == '/') {
                int end = digitsEnd(s, i + 1);
                return end > i + 1 ? end : i;
            }
        }
        return i;
    }

    private static String dropDigitsAfter(String s, String marker) {
        int at = s.indexOf(marker);
        while (at >= 0) {
            int from = at + marker.length();
            int end = digitsEnd(s, from);
            if (end > from) {
                s = s.substring(0, from) + s.substring(end);
            }
            at = s.indexOf(marker, from);
        }
        return s;
    }

    private static int digitsEnd(String s, int i) {
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean hexRun(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isHex(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isIdentifierPart(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || isUpper(c) || c == '_' || c == '$';
    }
}
