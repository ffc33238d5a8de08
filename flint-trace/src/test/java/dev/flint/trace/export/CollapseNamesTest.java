package dev.flint.trace.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.TraceBuilder;
import org.junit.jupiter.api.Test;

/** The script's naming rules, one at a time, on frames built by hand. */
class CollapseNamesTest {

    private static final CollapseNames.Options DEFAULT = CollapseNames.Options.DEFAULT;
    private static final String LIBC = "/usr/lib/x86_64-linux-gnu/libc.so.6";

    private static String name(String name, String module) {
        return CollapseNames.frameName(name, module, FrameKind.USER, "burn", DEFAULT);
    }

    private static CollapseNames names(CollapseNames.Options options) {
        return new CollapseNames(new TraceBuilder("test", "test").build().frames(), options);
    }

    @Test
    void unknownSymbolsAreNamedAfterTheirModule() {
        assertThat(name("[unknown]", LIBC)).isEqualTo("[libc.so.6]");
        assertThat(name("[unknown]", "/tmp/perf-8673.map")).isEqualTo("[perf-8673.map]");
        assertThat(name("[unknown]", "[kernel.kallsyms]")).isEqualTo("[[kernel.kallsyms]]");
        assertThat(name("[unknown]", "[unknown]")).isEqualTo("[unknown]");
    }

    @Test
    void aFrameWithoutModuleIsDroppedAsTheScriptDropsTheLine() {
        assertThat(name("leaf", "")).isNull();
    }

    @Test
    void argumentsAreCutExceptAnonymousNamespacesAndGoMethods() {
        assertThat(name("JavaCalls::call_helper(JavaValue*, methodHandle const&)", "libjvm.so"))
                .isEqualTo("JavaCalls::call_helper");
        assertThat(name("foo::(anonymous namespace)::bar(int)", "burn")).isEqualTo("foo::(anonymous namespace)::bar");
        assertThat(name("net/http.(*Client).Do", "gosrv")).isEqualTo("net/http.(*Client).Do");
        assertThat(name("StubRoutines (1)", "/tmp/perf-1.map")).isEqualTo("StubRoutines ");
        assertThat(name("operator+(Vec const&)", "burn")).isEqualTo("operator+");
    }

    @Test
    void aSymbolStartingWithAParenthesisIsSkipped() {
        assertThat(name("(anonymous namespace)::Worker::run(int)", "burn")).isNull();
    }

    @Test
    void semicolonsBecomeColonsAndQuotesGo() {
        assertThat(name("Ljava/io/OutputStream;::write", "/tmp/perf-1.map")).isEqualTo("Ljava/io/OutputStream:::write");
        assertThat(name("RegExp:[&<>\"']", "/tmp/perf-1.map")).isEqualTo("RegExp:[&<>]");
    }

    @Test
    void javaProcessesLoseTheLeadingLOfClassNames() {
        String n = "Ljava/util/HashMap;::put";
        assertThat(CollapseNames.frameName(n, "/tmp/perf-1.map", FrameKind.JIT, "java", DEFAULT))
                .isEqualTo("java/util/HashMap:::put");
        assertThat(CollapseNames.frameName(n, "/tmp/perf-1.map", FrameKind.JIT, "javac-?", DEFAULT))
                .isEqualTo("java/util/HashMap:::put");
        assertThat(CollapseNames.frameName(n, "/tmp/perf-1.map", FrameKind.JIT, "node", DEFAULT))
                .isEqualTo("Ljava/util/HashMap:::put");
        assertThat(CollapseNames.frameName("LBurn;::main", "/tmp/perf-1.map", FrameKind.JIT, "java", DEFAULT))
                .isEqualTo("LBurn:::main");
    }

    @Test
    void annotations() {
        CollapseNames.Options all = DEFAULT.withAll();
        assertThat(CollapseNames.frameName("putVal", "/tmp/perf-1.map", FrameKind.INLINED, "java", DEFAULT))
                .isEqualTo("putVal_[i]");
        assertThat(CollapseNames.frameName("putVal_[i]", "/tmp/perf-1.map", FrameKind.INLINED, "java", DEFAULT))
                .isEqualTo("putVal_[i]");
        assertThat(CollapseNames.frameName("do_idle", "[kernel.kallsyms]", FrameKind.KERNEL, "swapper", all))
                .isEqualTo("do_idle_[k]");
        assertThat(CollapseNames.frameName("tcp_sendmsg", "/lib/modules/6.1/build/vmlinux", FrameKind.KERNEL, "x", all))
                .isEqualTo("tcp_sendmsg_[k]");
        // the script's rule is the module's first character: [vdso] is "kernel", a .ko is not
        assertThat(CollapseNames.frameName("__vdso_clock_gettime", "[vdso]", FrameKind.USER, "x", all))
                .isEqualTo("__vdso_clock_gettime_[k]");
        assertThat(CollapseNames.frameName("ext4_write", "/lib/modules/x/ext4.ko", FrameKind.KERNEL, "x", all))
                .isEqualTo("ext4_write");
        assertThat(CollapseNames.frameName("[unknown]", "[unknown]", FrameKind.KERNEL, "x", all)).isEqualTo("[unknown]");
        assertThat(CollapseNames.frameName("Interpreter", "/tmp/perf-8673.map", FrameKind.JIT, "java", all))
                .isEqualTo("Interpreter_[j]");
        assertThat(CollapseNames.frameName("Interpreter", "/tmp/perf-8673.map", FrameKind.JIT, "java", DEFAULT))
                .isEqualTo("Interpreter");
    }

    @Test
    void processFramesAsTheScriptsEventPatternReadsThem() {
        CollapseNames n = names(DEFAULT);
        int unknown = SampleStore.UNKNOWN;
        assertThat(n.processFrame("my worker thr", unknown, 10065)).isEqualTo("my_worker_thr");
        assertThat(n.processFrame("FS Broker 5858", 5791, 5860)).isEqualTo("FS_Broker");
        assertThat(n.processFrame("f", unknown, 9566)).isEqualTo("f_");
        // a one-letter command with a 5-digit tid: the pattern needs the rest of the line
        assertThat(n.processFrame("t", unknown, 99076)).isNull();
        assertThat(n.processFrame(CollapseNames.eventLineHead("t", unknown, 99076),
                CollapseNames.eventLineRest(unknown, 10314749_002559_000L, 250000, "cpu-clock")))
                .isEqualTo("t_99076_10314749.002559:");

        CollapseNames tid = names(DEFAULT.withTid());
        assertThat(tid.processFrame("burn", unknown, 10063)).isEqualTo("burn-?/10063");
        assertThat(tid.processFrame("burn", 10063, 10064)).isEqualTo("burn-10063/10064");
        assertThat(tid.processFrame("swapper", 0, 0)).isEqualTo("swapper-?/0"); // "0" is false in Perl
        assertThat(names(DEFAULT.withPid()).processFrame("G1 Service", 9400, 9431)).isEqualTo("G1_Service-9400");
    }

    @Test
    void rawNamesKeepWhatTheParserRead() {
        CollapseNames.Options raw = DEFAULT.withRawNames();
        assertThat(CollapseNames.frameName("foo(int)", "burn", FrameKind.USER, "x", raw)).isEqualTo("foo(int)");
        assertThat(CollapseNames.frameName("(anonymous namespace)::run", "burn", FrameKind.USER, "x", raw))
                .isEqualTo("(anonymous namespace)::run");
        assertThat(CollapseNames.frameName("Ljava/io/OutputStream;::write", "", FrameKind.JIT, "java", raw.withJit()))
                .isEqualTo("Ljava/io/OutputStream:::write_[j]");
        assertThat(CollapseNames.frameName("do_idle", "[kernel.kallsyms]", FrameKind.KERNEL, "x", raw.withKernel()))
                .isEqualTo("do_idle_[k]");
        CollapseNames n = names(raw);
        assertThat(n.processFrame("FS Broker 5858", 5791, 5860)).isEqualTo("FS_Broker_5858");
    }
}
