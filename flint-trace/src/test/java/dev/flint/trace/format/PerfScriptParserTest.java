package dev.flint.trace.format;

import static dev.flint.trace.format.TraceRows.dump;
import static dev.flint.trace.format.TraceRows.eventName;
import static dev.flint.trace.format.TraceRows.kinds;
import static dev.flint.trace.format.TraceRows.leaf;
import static dev.flint.trace.format.TraceRows.modules;
import static dev.flint.trace.format.TraceRows.names;
import static dev.flint.trace.format.TraceRows.perf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.Trace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One test per line variant of profiling.md section 7 (perf 4.x to 6.1, FlameGraph's and
 * Firefox's corpora, SimplePerf), then structure, idle, errors and the shared fixtures.
 */
class PerfScriptParserTest {

    private static final String FRAMES = """
            \t    55d0a1b2c3d4 leaf+0x1c (/tmp/exp/burn)
            \t    55d0a1b2c000 main+0x20 (/tmp/exp/burn)
            """;

    @Nested
    class EventLines {

        @Test
        void defaultLineIsCommTidTimePeriodEvent() throws Exception {
            Trace t = perf("burn 10063   320.654333:    5000000 cpu-clock:pppH: \n" + FRAMES);
            SampleStore s = t.samples();
            assertThat(s.size()).isEqualTo(1);
            assertThat(s.tid(0)).isEqualTo(10063);
            assertThat(s.pid(0)).isEqualTo(SampleStore.UNKNOWN);
            assertThat(s.cpu(0)).isEqualTo(SampleStore.UNKNOWN);
            assertThat(s.time(0)).isEqualTo(320_654_333_000L);
            assertThat(s.weight(0)).isEqualTo(5_000_000L);
            assertThat(s.count(0)).isEqualTo(1);
            assertThat(eventName(t, 0)).isEqualTo("cpu-clock:pppH");
            assertThat(names(t, 0)).containsExactly("burn", "main", "leaf");
            assertThat(kinds(t, 0)).containsExactly(FrameKind.PROCESS, FrameKind.USER, FrameKind.USER);
            assertThat(modules(t, 0)).containsExactly("", "/tmp/exp/burn", "/tmp/exp/burn");
        }

        @Test
        void commWithSpaces() throws Exception {
            Trace t = perf("my worker thr 10065   320.655759:    5000000 cpu-clock:pppH:\n" + FRAMES);
            assertThat(names(t, 0).get(0)).isEqualTo("my worker thr");
            assertThat(t.samples().tid(0)).isEqualTo(10065);
        }

        @Test
        void cpuInBrackets() throws Exception {
            Trace t = perf("G1 Service  9431 [001]   337.632903:    5000000 cpu-clock:pppH:\n" + FRAMES);
            assertThat(names(t, 0).get(0)).isEqualTo("G1 Service");
            assertThat(t.samples().cpu(0)).isEqualTo(1);
            assertThat(t.samples().tid(0)).isEqualTo(9431);
        }

        @Test
        void truncatedComm() throws Exception {
            Trace t = perf("Monitor Deflati  9435 [001]   337.632903:    5000000 cpu-clock:pppH:\n" + FRAMES);
            assertThat(names(t, 0).get(0)).isEqualTo("Monitor Deflati");
        }

        @Test
        void pidSlashTid() throws Exception {
            Trace t = perf("burn 10063/10064   320.654333:    5000000 cpu-clock:pppH:\n" + FRAMES);
            assertThat(t.samples().pid(0)).isEqualTo(10063);
            assertThat(t.samples().tid(0)).isEqualTo(10064);
        }

        @Test
        void commEndingInNumberIsAnchoredOnTheTimestamp() throws Exception {
            Trace t = perf("FS Broker 5858  5791/5860  30171.917889:    4612247 cycles:ppp:\n" + FRAMES);
            assertThat(names(t, 0).get(0)).isEqualTo("FS Broker 5858");
            assertThat(t.samples().pid(0)).isEqualTo(5791);
            assertThat(t.samples().tid(0)).isEqualTo(5860);
            assertThat(t.samples().weight(0)).isEqualTo(4_612_247L);
            assertThat(eventName(t, 0)).isEqualTo("cycles:ppp");
        }

        @Test
        void eventWithoutTrailingColon() throws Exception {
            Trace t = perf("java 25607/25608 4794564.109216: 33 cycles:uppp\n" + FRAMES);
            assertThat(eventName(t, 0)).isEqualTo("cycles:uppp");
            assertThat(t.samples().weight(0)).isEqualTo(33);
            assertThat(t.samples().time(0)).isEqualTo(4_794_564_109_216_000L);
        }

        @Test
        void simpleperfTabs() throws Exception {
            Trace t = perf("Gecko\t25122 [007] 115539.936601:\t\t1000000 task-clock:u:\n" + FRAMES);
            assertThat(names(t, 0)).containsExactly("Gecko", "main", "leaf");
            assertThat(t.samples().cpu(0)).isEqualTo(7);
            assertThat(t.samples().weight(0)).isEqualTo(1_000_000L);
            assertThat(eventName(t, 0)).isEqualTo("task-clock:u");
        }

        @Test
        void olderPerfSwapper() throws Exception {
            Trace t = perf("swapper     0 [002] 6034779.719110:   10101010 cpu-clock:\n"
                    + "\tffffffff8225f8ab native_safe_halt+0xb ([kernel.kallsyms])\n");
            assertThat(names(t, 0)).containsExactly("swapper", "native_safe_halt");
            assertThat(t.samples().tid(0)).isZero();
            assertThat(t.samples().cpu(0)).isEqualTo(2);
            assertThat(t.samples().idle(0)).isTrue();
        }

        @Test
        void noTimestamp() throws Exception {
            Trace t = perf("java  3244 cpu-clock:\n" + FRAMES + "\njava  3244 cpu-clock:\n" + FRAMES);
            assertThat(t.samples().size()).isEqualTo(2);
            assertThat(t.samples().time(0)).isEqualTo(SampleStore.NO_TIME);
            assertThat(t.timed()).isFalse();
            assertThat(t.samples().tid(0)).isEqualTo(3244);
            assertThat(eventName(t, 0)).isEqualTo("cpu-clock");
            assertThat(t.samples().weight(0)).isEqualTo(1);
        }

        @Test
        void noTimestampWithPeriod() throws Exception {
            Trace t = perf("burn 24268    5025125 cpu-clock: \n\t            1141 leaf (/tmp/burn)\n");
            assertThat(t.samples().tid(0)).isEqualTo(24268);
            assertThat(t.samples().weight(0)).isEqualTo(5_025_125L);
            assertThat(names(t, 0)).containsExactly("burn", "leaf");
        }

        @Test
        void noEventNameTakesTheHeadersOnlyEvent() throws Exception {
            String body = "burn 10063   320.654333: \n" + FRAMES;
            assertThat(eventName(perf(body), 0)).isEqualTo(PerfScriptParser.UNKNOWN_EVENT);
            Trace t = perf("# event : name = cpu-clock, , id = { 1592, 1593 }, type = 1, size = 128\n" + body);
            assertThat(eventName(t, 0)).isEqualTo("cpu-clock");
            assertThat(t.samples().weight(0)).isEqualTo(1);
        }

        @Test
        void rightAlignedCommWithIpOnTheEventLine() throws Exception {
            Trace t = perf("""
                                burn 10063   320.654333:    5000000 cpu-clock:pppH:      56073fca81cc leaf+0x1c (/tmp/exp/burn)
                                burn 10063   320.659333:    5000000 cpu-clock:pppH:      56073fca81d0 mid+0x4 (/tmp/exp/burn)
                    """);
            assertThat(t.samples().size()).isEqualTo(2);
            assertThat(names(t, 0)).containsExactly("burn", "leaf");
            assertThat(names(t, 1)).containsExactly("burn", "mid");
            assertThat(modules(t, 1)).containsExactly("", "/tmp/exp/burn");
        }

        @Test
        void ipAndSymWithoutPeriodEventOrModule() throws Exception {
            // perf script -F comm,tid,time,ip,sym on a recording without callchains
            Trace t = perf("""
                                burn 24254  4258.255045:      561fb255b150 leaf
                                burn 24254  4258.260079:      1141 main
                    """);
            assertThat(t.samples().size()).isEqualTo(2);
            assertThat(names(t, 0)).containsExactly("burn", "leaf");
            assertThat(names(t, 1)).containsExactly("burn", "main");
            assertThat(t.samples().weight(1)).isEqualTo(1);
            assertThat(modules(t, 0)).containsExactly("", "");
        }

        @Test
        void eventLinesWithoutFramesFollowEachOther() throws Exception {
            // perf script -F comm,tid,time: no callchain, no blank lines
            Trace t = perf("            burn 24254  4258.255045: \n            dd 24255  4258.260079: \n");
            assertThat(t.samples().size()).isEqualTo(2);
            assertThat(names(t, 1)).containsExactly("dd");
        }

        @Test
        void tracepointPayloadIsIgnored() throws Exception {
            Trace t = perf("""
                           f  9566 [001] 18490161.191157: mm_pagevec_free: page=0xffffea0001f1f1c0 pfn=2038855 order=0 cold=0
                           f  9566 [001] 18490161.191160: kmem:mm_page_free: page=0xffffea0001f1f200 pfn=2038856 order=0
                    """);
            assertThat(t.samples().size()).isEqualTo(2);
            assertThat(names(t, 0)).containsExactly("f");
            assertThat(t.events()).containsExactly("mm_pagevec_free", "kmem:mm_page_free");
            assertThat(t.samples().cpu(0)).isEqualTo(1);
        }

        @Test
        void tracepointWithCallchain() throws Exception {
            Trace t = perf("sshd  1234 [000]   100.000001: sched:sched_switch: prev_comm=sshd prev_pid=1234 ==> next_comm=swapper/0\n"
                    + "\tffffffff81a0b1c2 __schedule+0x2c2 ([kernel.kallsyms])\n"
                    + "\tffffffff81a0b5d6 schedule+0x46 ([kernel.kallsyms])\n");
            assertThat(names(t, 0)).containsExactly("sshd", "schedule", "__schedule");
            assertThat(eventName(t, 0)).isEqualTo("sched:sched_switch");
        }

        @Test
        void timeOfDay() throws Exception {
            Trace t = perf("java 18837 2026-11-26 15:34:46.085629  1017.836880:    5000000 cpu-clock: \n" + FRAMES);
            assertThat(t.samples().time(0)).isEqualTo(1_017_836_880_000L);
            assertThat(t.samples().tid(0)).isEqualTo(18837);
            assertThat(names(t, 0).get(0)).isEqualTo("java");
        }

        @Test
        void nanosecondTimestamps() throws Exception {
            Trace t = perf("burn 10063   320.654333310:    5000000 cpu-clock:pppH:\n" + FRAMES);
            assertThat(t.samples().time(0)).isEqualTo(320_654_333_310L);
        }

        @Test
        void relativeTime() throws Exception {
            Trace t = perf("burn 10063     0.000000:    5000000 cpu-clock:\n" + FRAMES);
            assertThat(t.samples().time(0)).isZero();
        }

        @Test
        void perfRecordLinesAreNotSamples() throws Exception {
            Trace t = perf("swapper     0     0.000000: PERF_RECORD_MMAP -1/0: [0xffffffff81000000(0x1276988) @ 0xffffffff81000000]: x [kernel.kallsyms]_text\n"
                    + "perf-exec     0     0.000000: PERF_RECORD_COMM: perf-exec:25163/25163\n"
                    + "burn 10063   320.649363: PERF_RECORD_MMAP2 10063/10063: [0x55d1(0x1000) @ 0x1000 fe:00 2146515 0]: r-xp /tmp/exp/burn\n"
                    + "burn 10063   320.654333:    5000000 cpu-clock:\n" + FRAMES
                    + "\nburn 10063   320.659363: PERF_RECORD_EXIT(10063:10063):(10062:10062)\n");
            assertThat(t.samples().size()).isEqualTo(1);
            assertThat(t.events()).containsExactly("cpu-clock");
        }

        @Test
        void negativeTid() throws Exception {
            Trace t = perf(":-1    -1 [001]   100.5:          1 cpu-clock:\n");
            assertThat(t.samples().tid(0)).isEqualTo(-1);
            assertThat(names(t, 0)).containsExactly(":-1");
        }
    }

    @Nested
    class FrameLines {

        private String leafOf(String frameLine) throws Exception {
            return leaf(perf("burn 10063   320.654333:    5000000 cpu-clock:\n" + frameLine + "\n"), 0);
        }

        @Test
        void javaNameWithReturnTypeAndArguments() throws Exception {
            assertThat(leafOf("\t    7f0df1421f8f long Burn.hash(long)+0xe1 (/tmp/perf-11079.map)"))
                    .isEqualTo("long Burn.hash(long)|jit|/tmp/perf-11079.map");
        }

        @Test
        void stubRoutinesWithParenthesesInTheName() throws Exception {
            assertThat(leafOf("\t    7f0df8938cc9 StubRoutines (1)+0xc9 (/tmp/perf-11079.map)"))
                    .isEqualTo("StubRoutines (1)|jit|/tmp/perf-11079.map");
        }

        @Test
        void cppArgumentsWithoutOffset() throws Exception {
            assertThat(leafOf("\t    8282d2 JavaCalls::call_helper(JavaValue*, methodHandle*, JavaCallArguments*, Thread*)"
                    + " (/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so)"))
                    .isEqualTo("JavaCalls::call_helper(JavaValue*, methodHandle*, JavaCallArguments*, Thread*)|user|"
                            + "/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so");
        }

        @Test
        void deletedModules() throws Exception {
            assertThat(leafOf("\t    7f12 Interpreter+0x10 (/memfd:doublemapper (deleted))"))
                    .isEqualTo("Interpreter|jit|/memfd:doublemapper (deleted)");
            assertThat(leafOf("\t    7f12 foo+0x10 (/usr/lib/libfoo.so.1 (deleted))"))
                    .isEqualTo("foo|user|/usr/lib/libfoo.so.1 (deleted)");
            assertThat(leafOf("\t    7f12 [unknown] (//anon)")).isEqualTo("[unknown]|jit|//anon");
        }

        @Test
        void unknowns() throws Exception {
            assertThat(leafOf("\t    7f2a5745e4d0 [unknown] ([unknown])")).isEqualTo("[unknown]|user|[unknown]");
            assertThat(leafOf("\t               0 [unknown] ([unknown])")).isEqualTo("[unknown]|user|[unknown]");
            assertThat(leafOf("\tffffffff81000c82 [unknown] ([unknown])")).isEqualTo("[unknown]|kernel|[unknown]");
            assertThat(leafOf("\t    7f0df894cc2a [unknown] (/tmp/perf-8673.map)")).isEqualTo("[unknown]|jit|/tmp/perf-8673.map");
        }

        @Test
        void unknownAtKernelAndUserAddressesAreDifferentFrames() throws Exception {
            Trace t = perf("burn 1 1.0: 1 cpu-clock:\n\t7f2a5745e4d0 [unknown] ([unknown])\n"
                    + "\tffffffff81000c82 [unknown] ([unknown])\n");
            assertThat(kinds(t, 0)).containsExactly(FrameKind.PROCESS, FrameKind.KERNEL, FrameKind.USER);
        }

        @Test
        void goCppAndVersionedNames() throws Exception {
            assertThat(leafOf("\t  4a5b6c net/http.(*Client).Do+0x45 (/usr/bin/app)"))
                    .isEqualTo("net/http.(*Client).Do|user|/usr/bin/app");
            assertThat(leafOf("\t  4a5b6c (anonymous namespace)::worker+0x1 (/usr/bin/app)"))
                    .isEqualTo("(anonymous namespace)::worker|user|/usr/bin/app");
            assertThat(leafOf("\t  8d1a1f pthread_cond_signal@@GLIBC_2.3.2+0x9f (/usr/lib/x86_64-linux-gnu/libc.so.6)"))
                    .isEqualTo("pthread_cond_signal@@GLIBC_2.3.2|user|/usr/lib/x86_64-linux-gnu/libc.so.6");
        }

        @Test
        void perfMapAgentNamesKeepTheirSemicolons() throws Exception {
            assertThat(leafOf("\t7f0d Ljava/io/OutputStream;::write+0x20 (/tmp/perf-5.map)"))
                    .isEqualTo("Ljava/io/OutputStream;::write|jit|/tmp/perf-5.map");
        }

        @Test
        void inlineChainsInJitCodeAreSplitRootToLeaf() throws Exception {
            Trace t = perf("java 5 1.0: 1 cpu-clock:\n"
                    + "\t7f0d Lfoo/A;::outer->Lfoo/B;::middle->Lfoo/C;::inner+0x20 (/tmp/perf-5.map)\n"
                    + "\t7f0c Lfoo/Main;::main+0x10 (/tmp/perf-5.map)\n");
            assertThat(names(t, 0)).containsExactly("java", "Lfoo/Main;::main", "Lfoo/A;::outer", "Lfoo/B;::middle",
                    "Lfoo/C;::inner");
            assertThat(kinds(t, 0)).containsExactly(FrameKind.PROCESS, FrameKind.JIT, FrameKind.JIT, FrameKind.INLINED,
                    FrameKind.INLINED);
        }

        @Test
        void arrowsOutsideJitCodeAreCppOperators() throws Exception {
            assertThat(leafOf("\t4a5b std::unique_ptr<Foo>::operator->() const+0x4 (/usr/bin/app)"))
                    .isEqualTo("std::unique_ptr<Foo>::operator->() const|user|/usr/bin/app");
        }

        @Test
        void onlyATrailingOffsetIsCut() throws Exception {
            assertThat(leafOf("\t4a5b operator+(Foo const&, Foo const&)+0x1c (/usr/bin/app)"))
                    .isEqualTo("operator+(Foo const&, Foo const&)|user|/usr/bin/app");
            assertThat(leafOf("\t4a5b Foo::operator++ (/usr/bin/app)")).isEqualTo("Foo::operator++|user|/usr/bin/app");
            assertThat(leafOf("\t4a5b Foo::operator+ (/usr/bin/app)")).isEqualTo("Foo::operator+|user|/usr/bin/app");
            assertThat(leafOf("\tffffffffc0a01234 nf_hook_slow+0xfe20000a ([nf_conntrack_ipv4])"))
                    .isEqualTo("nf_hook_slow|kernel|[nf_conntrack_ipv4]");
        }

        @Test
        void noSymbolOffset() throws Exception {
            assertThat(leafOf("\tffffffff81000000 do_syscall_64 ([kernel.kallsyms])"))
                    .isEqualTo("do_syscall_64|kernel|[kernel.kallsyms]");
        }

        @Test
        void kernelModules() throws Exception {
            assertThat(leafOf("\tffffffff8378c8c0 x86_64_start_kernel+0xd1 ([kernel.kallsyms].init.text)"))
                    .isEqualTo("x86_64_start_kernel|kernel|[kernel.kallsyms].init.text");
            assertThat(leafOf("\tffffffff81234567 do_idle+0x1 (/lib/modules/6.1.0/build/vmlinux)"))
                    .isEqualTo("do_idle|kernel|/lib/modules/6.1.0/build/vmlinux");
            assertThat(leafOf("\tffffffffc0a01234 ext4_map_blocks+0x1 (/lib/modules/6.1.0/kernel/fs/ext4/ext4.ko)"))
                    .isEqualTo("ext4_map_blocks|kernel|/lib/modules/6.1.0/kernel/fs/ext4/ext4.ko");
            assertThat(leafOf("\t7ffc1234 __vdso_clock_gettime+0x4 ([vdso])"))
                    .isEqualTo("__vdso_clock_gettime|user|[vdso]");
        }

        @Test
        void kernelFramesOnTopOfUserFrames() throws Exception {
            Trace t = perf("burn 1 1.0: 1 cpu-clock:\n"
                    + "\tffffffff821f3046 irqentry_exit_to_user_mode+0x176 ([kernel.kallsyms])\n"
                    + "\tffffffff81000c82 asm_sysvec_apic_timer_interrupt+0x1a ([kernel.kallsyms])\n"
                    + "\t55d0a1b2c3d4 leaf+0x1c (/tmp/exp/burn)\n");
            assertThat(names(t, 0)).containsExactly("burn", "leaf", "asm_sysvec_apic_timer_interrupt",
                    "irqentry_exit_to_user_mode");
            assertThat(kinds(t, 0)).containsExactly(FrameKind.PROCESS, FrameKind.USER, FrameKind.KERNEL, FrameKind.KERNEL);
        }

        @Test
        void srclineLinesAreSkipped() throws Exception {
            Trace t = perf("burn 24268  4259.547994:    5025125 cpu-clock: \n"
                    + "\t            1141 leaf+0x8 (/tmp/burn)\n"
                    + "  burn.c:3\n"
                    + "\t            1181 main+0x16 (/tmp/burn)\n"
                    + "  libc.so.6[27b25]\n"
                    + "\t           2724a __libc_start_call_main+0x7a (/usr/lib/x86_64-linux-gnu/libc.so.6)\n"
                    + "  libc-start.c:74\n");
            assertThat(names(t, 0)).containsExactly("burn", "__libc_start_call_main", "main", "leaf");
        }

        @Test
        void framesWithoutIndentation() throws Exception {
            Trace t = perf("java 9999 cpu-clock:\n7f0df8ed5954 Interpreter (/tmp/perf-9999.map)\n"
                    + "7f0df8938cc9 call_stub (/tmp/perf-9999.map)\n");
            assertThat(names(t, 0)).containsExactly("java", "call_stub", "Interpreter");
        }

        @Test
        void framesWithoutModules() throws Exception {
            // perf script -F comm,tid,time,ip,sym
            Trace t = perf("burn 24268  4259.547994: \n\t            1141 leaf\n\t            1181 main\n");
            assertThat(names(t, 0)).containsExactly("burn", "main", "leaf");
            assertThat(modules(t, 0)).containsExactly("", "", "");
        }

        @Test
        void frameWithoutSymbolIsUnknown() throws Exception {
            assertThat(leafOf("\t1141 (/tmp/burn)")).isEqualTo("[unknown]|user|/tmp/burn");
        }
    }

    @Nested
    class Structure {

        @Test
        void crlfLineEnds() throws Exception {
            String lf = "burn 10063   320.654333:    5000000 cpu-clock:\n" + FRAMES + "\n"
                    + "burn 10063   320.659333:    5000000 cpu-clock:\n" + FRAMES;
            assertThat(dump(perf(lf.replace("\n", "\r\n")))).isEqualTo(dump(perf(lf)));
        }

        @Test
        void lastSampleWithoutBlankLineOrNewline() throws Exception {
            Trace t = perf("burn 10063   320.654333:    5000000 cpu-clock:\n\t55d0a1b2c3d4 leaf+0x1c (/tmp/exp/burn)");
            assertThat(names(t, 0)).containsExactly("burn", "leaf");
        }

        @Test
        void extraBlankLinesAndUtf8BomAreFine() throws Exception {
            Trace t = perf("\uFEFF\n\n  \nburn 10063   320.654333:    5000000 cpu-clock:\n" + FRAMES + "\n\n\n");
            assertThat(t.samples().size()).isEqualTo(1);
        }

        @Test
        void sampleWithoutFrames() throws Exception {
            Trace t = perf("burn 10063   320.654333:    5000000 cpu-clock:\n\nburn 10063   320.659333:    5000000 cpu-clock:\n"
                    + FRAMES);
            assertThat(names(t, 0)).containsExactly("burn");
            assertThat(names(t, 1)).containsExactly("burn", "main", "leaf");
        }

        @Test
        void mixedEventsAreKeptApart() throws Exception {
            Trace t = perf("""
                    burn 10063   320.654333:     212345 cycles:
                    \t55d0a1b2c3d4 leaf+0x1c (/tmp/exp/burn)

                    burn 10063   320.654340:     400000 instructions:
                    \t55d0a1b2c3d4 leaf+0x1c (/tmp/exp/burn)

                    burn 10063   320.655333:     198765 cycles:
                    \t55d0a1b2c3d4 leaf+0x1c (/tmp/exp/burn)
                    """);
            assertThat(t.events()).containsExactly("cycles", "instructions");
            assertThat(t.samples().event(0)).isEqualTo(0);
            assertThat(t.samples().event(1)).isEqualTo(1);
            assertThat(t.samples().event(2)).isEqualTo(0);
            assertThat(t.samples().weight(2)).isEqualTo(198_765);
            assertThat(t.samples().stack(0)).isEqualTo(t.samples().stack(1));
        }

        @Test
        void outOfOrderTimestampsAreSorted() throws Exception {
            Trace t = perf("""
                    a 1 [001]   10.000300: 1 cpu-clock:

                    b 2 [000]   10.000100: 1 cpu-clock:

                    c 3 [001]   10.000200: 1 cpu-clock:
                    """);
            assertThat(List.of(t.samples().time(0), t.samples().time(1), t.samples().time(2)))
                    .containsExactly(10_000_100_000L, 10_000_200_000L, 10_000_300_000L);
            assertThat(names(t, 0)).containsExactly("b");
            assertThat(t.startNanos()).isEqualTo(10_000_100_000L);
            assertThat(t.endNanos()).isEqualTo(10_000_300_000L);
        }

        @Test
        void headerKeysBecomeMetadata() throws Exception {
            Trace t = perf("""
                    # ========
                    # captured on    : Tue Dec  1 08:36:52 2026
                    # hostname : vm
                    # os release : 6.18.44-fc-v1045
                    # perf version : 6.1.187
                    # cpudesc : AMD EPYC
                    # cmdline : /usr/bin/perf record -k mono -e cpu-clock -F 199 -g -- /tmp/burn\s
                    # event : name = cpu-clock, , id = { 1630, 1631 }, type = 1, size = 128, use_clockid = 1, clockid = 1
                    # event : name = task-clock, , id = { 1641, 1642 }, type = 1, size = 128, config = 0x1
                    # CPU_TOPOLOGY info available, use -I to display
                    # time of first sample : 4492.393648
                    # time of last sample : 4492.599843
                    # sample duration :    206.195 ms
                    # clockid frequency: 1000 MHz
                    # clockid: monotonic (1)
                    # missing features: TRACING_DATA BRANCH_STACK
                    # ========
                    #
                    burn 25140  4492.393648:    5025125 cpu-clock:\s
                    \t            1141 leaf+0x8 (/tmp/burn)
                    """);
            assertThat(t.metadata())
                    .containsEntry("captured_on", "Tue Dec  1 08:36:52 2026")
                    .containsEntry("hostname", "vm")
                    .containsEntry("cpudesc", "AMD EPYC")
                    .containsEntry("perf_version", "6.1.187")
                    .containsEntry("cmdline", "/usr/bin/perf record -k mono -e cpu-clock -F 199 -g -- /tmp/burn")
                    .containsEntry("time_of_first_sample", "4492.393648")
                    .containsEntry("time_of_last_sample", "4492.599843")
                    .containsEntry("sample_duration", "206.195 ms")
                    .containsEntry("clockid", "monotonic (1)")
                    .containsEntry("clockid_frequency", "1000 MHz")
                    .containsEntry("missing_features", "TRACING_DATA BRANCH_STACK")
                    .containsKeys("event", "event.2");
            assertThat(t.metadata().get("event")).startsWith("name = cpu-clock,");
            assertThat(t.metadata().get("event.2")).startsWith("name = task-clock,");
            assertThat(t.samples().size()).isEqualTo(1);
        }

        @Test
        void clockidFromTheEventLineWhenThereIsNoClockidLine() throws Exception {
            Trace t = perf("# event : name = cpu-clock, , id = { 1 }, use_clockid = 1, clockid = 1\nburn 1 1.0: 1 cpu-clock:\n");
            assertThat(t.metadata()).containsEntry("clockid", "monotonic (1)");
        }

        @Test
        void everyBufferSizeGivesTheSameTrace() throws Exception {
            String text = javaFixture();
            List<String> expected = dump(TraceRows.perf(text, PerfScriptParser.DEFAULT_BUFFER_BYTES));
            for (int size : new int[] {16, 17, 64, 100, 4096}) {
                assertThat(dump(TraceRows.perf(text, size))).as("buffer of %d bytes", size).isEqualTo(expected);
            }
        }
    }

    @Nested
    class Idle {

        private static final String IDLE_STACK = """
                \tffffffff8225f8ab pv_native_safe_halt+0xb ([kernel.kallsyms])
                \tffffffff822613b5 default_idle+0x5 ([kernel.kallsyms])
                \tffffffff8226213b default_enter_idle+0x1b ([kernel.kallsyms])
                \tffffffff82260bb3 cpuidle_enter_state+0x73 ([kernel.kallsyms])
                \tffffffff81e5eead cpuidle_enter+0x2d ([kernel.kallsyms])
                \tffffffff813d00d6 do_idle+0x136 ([kernel.kallsyms])
                \tffffffff813d0415 cpu_startup_entry+0x25 ([kernel.kallsyms])
                \tffffffff8226222c rest_init+0xcc ([kernel.kallsyms])
                \tffffffff83780254 start_kernel+0x744 ([kernel.kallsyms])
                """;

        @Test
        void swapperInAnIdleFunctionIsIdle() throws Exception {
            Trace t = perf("swapper     0 [000]  4187.513495:    2004008 cpu-clock: \n" + IDLE_STACK);
            assertThat(t.samples().idle(0)).isTrue();
        }

        @Test
        void everyModernIdleLeafCounts() throws Exception {
            for (String leaf : List.of("cpuidle_enter_state", "cpu_idle", "do_idle", "default_idle", "intel_idle",
                    "acpi_idle_enter", "native_safe_halt", "pv_native_safe_halt", "cpu_startup_entry", "poll_idle",
                    "arch_cpu_idle", "xen_hypercall_sched_op", "mwait_idle_with_hints", "cpu_do_idle")) {
                Trace t = perf("swapper     0 [000]  1.5:    1 cpu-clock:\n\tffffffff81000000 " + leaf
                        + "+0x1 ([kernel.kallsyms])\n\tffffffff81000001 cpu_startup_entry+0x25 ([kernel.kallsyms])\n");
                assertThat(t.samples().idle(0)).as(leaf).isTrue();
            }
        }

        @Test
        void anInterruptOnAnIdleCpuIsNotIdle() throws Exception {
            // profiling.md #143: the interrupt's work sits on top of the idle stack
            Trace t = perf("swapper     0 [001]  4187.515493:    2004008 cpu-clock: \n"
                    + "\tffffffff81b12345 dma_tasklet+0x20 ([kernel.kallsyms])\n"
                    + "\tffffffff810a1234 tasklet_action_common+0x60 ([kernel.kallsyms])\n"
                    + "\tffffffff822011f0 handle_softirqs+0xd0 ([kernel.kallsyms])\n"
                    + "\tffffffff810a2345 __irq_exit_rcu+0x4a ([kernel.kallsyms])\n"
                    + "\tffffffff821f1234 sysvec_apic_timer_interrupt+0x71 ([kernel.kallsyms])\n"
                    + "\tffffffff82400c82 asm_sysvec_apic_timer_interrupt+0x1a ([kernel.kallsyms])\n"
                    + IDLE_STACK);
            assertThat(t.samples().idle(0)).isFalse();
            assertThat(names(t, 0)).endsWith("dma_tasklet");
        }

        @Test
        void idleIsTheIdleTaskOnly() throws Exception {
            Trace notSwapper = perf("java  4242 [000]  1.5:    1 cpu-clock:\n" + IDLE_STACK);
            assertThat(notSwapper.samples().idle(0)).isFalse();
            Trace tidZero = perf("kthread     0 [000]  1.5:    1 cpu-clock:\n" + IDLE_STACK);
            assertThat(tidZero.samples().idle(0)).isTrue();
            Trace noFrames = perf("swapper     0 [000]  1.5:    1 cpu-clock:\n");
            assertThat(noFrames.samples().idle(0)).isFalse();
        }

        @Test
        void idleOnTheEventLineWithoutCallchain() throws Exception {
            Trace t = perf("         swapper     0 [000]  1.5:    1 cpu-clock:  ffffffff8225f8ab pv_native_safe_halt+0xb ([kernel.kallsyms])\n");
            assertThat(t.samples().idle(0)).isTrue();
        }
    }

    @Nested
    class Errors {

        @Test
        void garbageBetweenSamplesNamesTheLine() {
            String text = "burn 10063   320.654333:    5000000 cpu-clock:\n" + FRAMES
                    + "\nthis is not perf output\n";
            assertThatThrownBy(() -> perf(text)).isInstanceOfSatisfying(TraceFormatException.class, e -> {
                assertThat(e.lineNumber()).isEqualTo(5);
                assertThat(e.line()).isEqualTo("this is not perf output");
                assertThat(e.getMessage()).startsWith("test.perf:5: not a perf script event line")
                        .endsWith(": \"this is not perf output\"");
            });
        }

        @Test
        void garbageInsideASample() {
            String text = "burn 10063   320.654333:    5000000 cpu-clock:\n\t55d0a1b2c3d4 leaf+0x1c (/tmp/exp/burn)\n"
                    + "\t%%% garbage\n";
            assertThatThrownBy(() -> perf(text)).isInstanceOfSatisfying(TraceFormatException.class, e -> {
                assertThat(e.lineNumber()).isEqualTo(3);
                assertThat(e.getMessage()).contains("neither a frame line");
            });
        }

        @Test
        void aFrameLineAfterABlankLine() {
            String text = "burn 10063   320.654333:    5000000 cpu-clock:\n" + FRAMES + "\n" + FRAMES;
            assertThatThrownBy(() -> perf(text)).isInstanceOfSatisfying(TraceFormatException.class, e -> {
                assertThat(e.lineNumber()).isEqualTo(5);
                assertThat(e.getMessage()).contains("a frame line where an event line was expected");
            });
        }

        @Test
        void textAfterTheTimeThatIsNoEvent() {
            assertThatThrownBy(() -> perf("burn 10063   320.654333: hello world\n"))
                    .isInstanceOf(TraceFormatException.class).hasMessageContaining("test.perf:1:");
        }

        @Test
        void timedAndUntimedMixed() {
            String text = "burn 10063   320.654333:    5000000 cpu-clock:\n" + FRAMES + "\njava  3244 cpu-clock:\n" + FRAMES;
            assertThatThrownBy(() -> perf(text)).isInstanceOfSatisfying(TraceFormatException.class, e -> {
                assertThat(e.lineNumber()).isEqualTo(5);
                assertThat(e.getMessage()).contains("without a timestamp");
            });
        }

        @Test
        void aHugeLineIsRefused() {
            String text = "burn 1 1.0: 1 cpu-clock:\n\t1 " + "x".repeat(TextLines.MAX_LINE_BYTES + 10) + "\n";
            assertThatThrownBy(() -> perf(text, 1 << 16)).isInstanceOfSatisfying(TraceFormatException.class,
                    e -> assertThat(e.getMessage()).contains("line 2 is longer than 4 MiB"));
        }

        @Test
        void numbersOutOfRange() {
            assertThatThrownBy(() -> perf("burn 99999999999 1.0: 1 cpu-clock:\n")).isInstanceOf(TraceFormatException.class);
            assertThatThrownBy(() -> perf("burn 1 99999999999999.0: 1 cpu-clock:\n"))
                    .isInstanceOf(TraceFormatException.class);
            assertThatThrownBy(() -> perf("burn 1 1.0: 99999999999999999999 cpu-clock:\n"))
                    .isInstanceOf(TraceFormatException.class);
        }

        @Test
        void emptyInputIsAnEmptyTrace() throws Exception {
            assertThat(perf("").samples().size()).isZero();
            assertThat(perf("# ========\n# hostname : vm\n").metadata()).containsEntry("hostname", "vm");
        }
    }

    @Nested
    class Fixtures {

        @Test
        void pythonLoop() throws Exception {
            Trace t = PerfScriptParser.parse(resource("/traces/python-loop-200hz.perf"), "python-loop-200hz.perf");
            assertThat(t.format()).isEqualTo(PerfScriptParser.FORMAT);
            assertThat(t.samples().size()).isEqualTo(1989);
            assertThat(t.events()).containsExactly("cpu-clock");
            assertThat(TraceRows.totalWeight(t)).isEqualTo(1989L * 5_000_000L);
            Set<String> comms = new HashSet<>();
            Set<String> names = new HashSet<>();
            for (int row = 0; row < t.samples().size(); row++) {
                comms.add(names(t, row).get(0));
                names.addAll(names(t, row));
                assertThat(t.samples().tid(row)).isEqualTo(7995);
            }
            assertThat(comms).containsExactly("python3");
            assertThat(names).contains("_PyEval_EvalFrameDefault", "PyObject_GetBuffer", "[unknown]");
            assertThat(t.startNanos()).isEqualTo(250_301_448_000L);
            assertThat(TraceRows.distinctSampleStacks(t)).isEqualTo(referenceDistinctStacks(
                    new String(resource("/traces/python-loop-200hz.perf").readAllBytes(), StandardCharsets.UTF_8)));
        }

        @Test
        void javaLoop() throws Exception {
            String text = javaFixture();
            Trace t = perf(text, PerfScriptParser.DEFAULT_BUFFER_BYTES);
            assertThat(t.samples().size()).isEqualTo(2002);
            assertThat(t.events()).containsExactly("cpu-clock");
            Set<String> comms = new HashSet<>();
            Set<String> jit = new HashSet<>();
            boolean kernel = false;
            for (int row = 0; row < t.samples().size(); row++) {
                comms.add(names(t, row).get(0));
                List<String> names = names(t, row);
                List<FrameKind> kinds = kinds(t, row);
                for (int i = 0; i < names.size(); i++) {
                    if (kinds.get(i) == FrameKind.JIT) {
                        jit.add(names.get(i));
                    }
                    kernel |= kinds.get(i) == FrameKind.KERNEL;
                }
            }
            assertThat(comms).containsExactlyInAnyOrder("java", "C1 CompilerThre", "C2 CompilerThre", "GC Thread#0",
                    "GC Thread#1", "VM Periodic Tas", "VM Thread");
            assertThat(jit).contains("int Loop.sortWork(java.util.Random)", "Interpreter", "StubRoutines (1)");
            assertThat(kernel).isTrue();
            assertThat(TraceRows.distinctSampleStacks(t)).isEqualTo(referenceDistinctStacks(text));
        }
    }

    static String javaFixture() throws IOException {
        try (InputStream in = new GZIPInputStream(resource("/traces/java-loop-200hz.perf.gz"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static InputStream resource(String name) {
        return PerfScriptParserTest.class.getResourceAsStream(name);
    }

    /**
     * Distinct stacks counted the slow, obvious way, as a cross-check: blocks split at blank lines,
     * the comm up to the tid, each frame's symbol and module with the offset cut by a regex.
     */
    private static int referenceDistinctStacks(String text) {
        Set<String> stacks = new HashSet<>();
        for (String block : text.split("\n\n")) {
            String[] lines = block.strip().split("\n");
            if (lines[0].isEmpty()) {
                continue;
            }
            StringBuilder key = new StringBuilder(lines[0].strip().replaceAll("\\s+\\d+\\s+\\d+\\.\\d+:.*", ""));
            for (int i = 1; i < lines.length; i++) {
                key.append(';').append(lines[i].strip().replaceFirst("^[0-9a-f]+ ", "")
                        .replaceFirst("\\+0x[0-9a-f]+ \\(", " ("));
            }
            stacks.add(key.toString());
        }
        return stacks.size();
    }

    @Test
    void detectsItsOwnEventLines() {
        byte[] line = "burn 10063   320.654333:    5000000 cpu-clock:".getBytes(StandardCharsets.UTF_8);
        assertThat(PerfScriptParser.isEventLine(line, 0, line.length)).isTrue();
        byte[] folded = "main;work 12".getBytes(StandardCharsets.UTF_8);
        assertThat(PerfScriptParser.isEventLine(folded, 0, folded.length)).isFalse();
    }

    @Test
    void parseReadsAStream() throws Exception {
        Trace t = PerfScriptParser.parse(new ByteArrayInputStream(
                ("burn 1 1.0: 1 cpu-clock:\n" + FRAMES).getBytes(StandardCharsets.UTF_8)), "s");
        assertThat(names(t, 0)).containsExactly("burn", "main", "leaf");
        assertThat(t.source()).isEqualTo("s");
    }
}
