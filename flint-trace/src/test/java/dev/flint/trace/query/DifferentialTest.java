package dev.flint.trace.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.Trace;
import dev.flint.trace.query.DiffNode.Presence;
import dev.flint.trace.query.Differential.Delta;
import dev.flint.trace.query.Differential.Normalization;
import dev.flint.trace.query.Differential.Options;
import dev.flint.trace.query.Differential.Side;
import java.util.List;
import org.junit.jupiter.api.Test;

class DifferentialTest {

    private static final Options ALL_NODES = Options.DEFAULT.withMinWidth(0);

    /** Baseline: 10 samples. main 2 self, parse 6, render 2. */
    private final Trace a = samples(new TestTraces("a.perf"), "java;main", 2, "java;main;parse", 6,
            "java;main;render", 2);
    /** Target, another machine: 20 samples. main 5 self, parse 5, compress 10. */
    private final Trace b = samples(new TestTraces("b.perf"), "java;main", 5, "java;main;parse", 5,
            "java;main;compress", 10);

    private static Trace samples(TestTraces t, Object... stacksAndCounts) {
        long time = 0;
        for (int i = 0; i < stacksAndCounts.length; i += 2) {
            for (int n = 0; n < (Integer) stacksAndCounts[i + 1]; n++) {
                t.at(time++, (String) stacksAndCounts[i]);
            }
        }
        return t.build();
    }

    private static DiffNode child(DiffNode node, String name) {
        return node.children().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no child " + name + " in " + node.name()));
    }

    private static DiffNode main(Differential diff) {
        return child(child(diff.root(), "java"), "main");
    }

    @Test
    void normalisedByTotalWithSelfDelta() {
        Differential diff = Differential.compare(Side.of(a, SampleFilter.all()), Side.of(b, SampleFilter.all()),
                ALL_NODES);

        assertThat(diff.samplesA()).isEqualTo(10);
        assertThat(diff.samplesB()).isEqualTo(20);
        assertThat(diff.divisorA()).isEqualTo(10);
        assertThat(diff.divisorB()).isEqualTo(20);
        DiffNode main = main(diff);
        assertThat(main.presence()).isEqualTo(Presence.BOTH);
        assertThat(main.selfA()).isEqualTo(2);
        assertThat(main.selfB()).isEqualTo(5);
        assertThat(main.totalA()).isEqualTo(10);
        assertThat(main.totalB()).isEqualTo(20);
        assertThat(main.normSelfA()).isCloseTo(0.2, within(1e-12));
        assertThat(main.normSelfB()).isCloseTo(0.25, within(1e-12));
        assertThat(main.delta()).isCloseTo(0.05, within(1e-12));

        DiffNode parse = child(main, "parse");
        assertThat(parse.presence()).isEqualTo(Presence.BOTH);
        assertThat(parse.delta()).isCloseTo(0.25 - 0.6, within(1e-12));
        DiffNode render = child(main, "render");
        assertThat(render.presence()).isEqualTo(Presence.VANISHED);
        assertThat(render.totalB()).isZero();
        assertThat(render.delta()).isCloseTo(-0.2, within(1e-12));
        DiffNode compress = child(main, "compress");
        assertThat(compress.presence()).isEqualTo(Presence.NEW);
        assertThat(compress.delta()).isCloseTo(0.5, within(1e-12));

        // Sorted by the larger normalised total: parse (0.6), compress (0.5), render (0.2).
        assertThat(main.children()).extracting(DiffNode::name).containsExactly("parse", "compress", "render");
        // Shares of each side's total: the self deltas add up to zero.
        assertThat(sumOfDelta(diff.root())).isCloseTo(0, within(1e-12));
        assertThat(diff.semantics()).contains("delta = self(B)/20 - self(A)/10")
                .contains("fractions of its total").contains("NEW: only in B");
    }

    @Test
    void normalisedByTotalWithTotalDelta() {
        Differential diff = Differential.compare(Side.of(a, SampleFilter.all()), Side.of(b, SampleFilter.all()),
                ALL_NODES.withDelta(Delta.TOTAL));

        assertThat(main(diff).delta()).isCloseTo(0, within(1e-12)); // all of each side is in main
        assertThat(child(main(diff), "parse").delta()).isCloseTo(-0.35, within(1e-12));
        assertThat(diff.deltaOn()).isEqualTo(Delta.TOTAL);
        assertThat(diff.semantics()).contains("delta = total(B)/20 - total(A)/10");
    }

    @Test
    void normalisedPerInvocation() {
        Differential diff = Differential.compare(Side.of(a, SampleFilter.all()).withInvocations(2),
                Side.of(b, SampleFilter.all()).withInvocations(4),
                ALL_NODES.withNormalization(Normalization.PER_INVOCATION));

        DiffNode main = main(diff);
        assertThat(main.normSelfA()).isCloseTo(1.0, within(1e-12));   // 2 samples / 2 invocations
        assertThat(main.normSelfB()).isCloseTo(1.25, within(1e-12));  // 5 / 4
        assertThat(main.delta()).isCloseTo(0.25, within(1e-12));
        assertThat(main.normTotalA()).isCloseTo(5, within(1e-12));
        assertThat(main.normTotalB()).isCloseTo(5, within(1e-12));
        assertThat(child(main, "parse").delta()).isCloseTo(1.25 - 3, within(1e-12));
        assertThat(child(main, "compress").delta()).isCloseTo(2.5, within(1e-12));
        assertThat(diff.semantics()).contains("samples per invocation (A: 2 invocations, B: 4)");
    }

    @Test
    void perInvocationNeedsTheCounts() {
        assertThatThrownBy(() -> Differential.compare(Side.of(a, SampleFilter.all()), Side.of(b, SampleFilter.all()),
                ALL_NODES.withNormalization(Normalization.PER_INVOCATION)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("number of invocations");

        Side side = Side.of(a, SampleFilter.all().withInvocations(List.of(Invocation.of("1", 0, 5),
                Invocation.of("2", 5, 10))));
        assertThat(side.invocations()).isEqualTo(2);
    }

    @Test
    void twoRangesOfOneTrace() {
        Side first = Side.of(a, SampleFilter.nanos(0, 5));  // main 2, parse 3
        Side second = Side.of(a, SampleFilter.nanos(5, 10)); // parse 3, render 2

        Differential diff = Differential.compare(first, second, ALL_NODES);

        assertThat(main(diff).delta()).isCloseTo(-0.4, within(1e-12));
        assertThat(child(main(diff), "parse").delta()).isCloseTo(0, within(1e-12));
        assertThat(child(main(diff), "render").presence()).isEqualTo(Presence.NEW);
    }

    @Test
    void crossMachineNamesMatchWhatRawNamesDoNot() {
        Trace x = samples(new TestTraces(), "java;main;Main$$Lambda$14/0x0000000800c0b440.run", 4,
                "java;main;memcpy@GLIBC_2.2.5", 1);
        Trace y = samples(new TestTraces(), "java;main;Main$$Lambda/0x000001f0010a3a48.run", 4,
                "java;main;memcpy@@GLIBC_2.14", 1);

        Differential raw = Differential.compare(Side.of(x, SampleFilter.all()), Side.of(y, SampleFilter.all()),
                ALL_NODES);
        Differential normalised = Differential.compare(Side.of(x, SampleFilter.all()), Side.of(y, SampleFilter.all()),
                ALL_NODES.withNames(NameNormalizer.CROSS_MACHINE));

        assertThat(main(raw).children()).extracting(DiffNode::presence)
                .containsOnly(Presence.NEW, Presence.VANISHED).hasSize(4);
        assertThat(main(normalised).children()).extracting(DiffNode::name, DiffNode::presence).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Main$$Lambda.run", Presence.BOTH),
                org.assertj.core.groups.Tuple.tuple("memcpy", Presence.BOTH));
        assertThat(child(main(normalised), "memcpy").delta()).isZero();
    }

    @Test
    void kindsAndModulesAreNotPartOfTheMatch() {
        Trace x = samples(new TestTraces(), "java;Foo.run|/usr/lib/jvm/a/libjvm.so|jit", 3);
        Trace y = samples(new TestTraces(), "java;Foo.run|/opt/jdk/libjvm.so|interpreted", 3);

        DiffNode run = child(child(Differential.compare(Side.of(x, SampleFilter.all()), Side.of(y, SampleFilter.all()))
                .root(), "java"), "Foo.run");

        assertThat(run.presence()).isEqualTo(Presence.BOTH);
        assertThat(run.kind()).isEqualTo(FrameKind.INTERPRETED); // B's
        assertThat(run.module()).isEqualTo("/opt/jdk/libjvm.so");
    }

    @Test
    void pruningKeepsANodeThatIsWideOnEitherSide() {
        TestTraces tx = new TestTraces();
        TestTraces ty = new TestTraces();
        for (int i = 0; i < 1000; i++) {
            tx.at(i, i == 0 ? "p;grew" : i == 1 ? "p;gone" : "p;steady");
            ty.at(i, i < 100 ? "p;grew" : "p;steady");
        }

        Differential diff = Differential.compare(Side.of(tx.build(), SampleFilter.all()),
                Side.of(ty.build(), SampleFilter.all()), Options.DEFAULT.withMinWidth(0.05));

        DiffNode p = child(diff.root(), "p");
        assertThat(p.children()).extracting(DiffNode::name).containsExactly("steady", "grew", FlameNode.OTHER);
        DiffNode other = child(p, FlameNode.OTHER);
        assertThat(other.isOther()).isTrue();
        assertThat(other.prunedNodes()).isEqualTo(1);
        assertThat(other.totalA()).isEqualTo(1);
        assertThat(other.totalB()).isZero();
        assertThat(other.presence()).isEqualTo(Presence.VANISHED);
        assertThat(p.totalA()).isEqualTo(p.selfA() + p.children().stream().mapToLong(DiffNode::totalA).sum());
        assertThat(diff.root().totalA()).isEqualTo(1000);
    }

    @Test
    void anEmptySideGivesZeroesNotNaN() {
        Differential diff = Differential.compare(Side.of(a, SampleFilter.all().withPids(12345)),
                Side.of(b, SampleFilter.all()), ALL_NODES);

        assertThat(diff.root().totalA()).isZero();
        assertThat(main(diff).presence()).isEqualTo(Presence.NEW);
        assertThat(main(diff).normSelfA()).isZero();
        assertThat(main(diff).delta()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void weightInNanosecondsPerInvocation() {
        Differential diff = Differential.compare(Side.of(a, SampleFilter.all()).withInvocations(10),
                Side.of(b, SampleFilter.all()).withInvocations(10),
                ALL_NODES.withMeasure(Measure.WEIGHT).withNormalization(Normalization.PER_INVOCATION));

        assertThat(diff.unit()).isEqualTo("ns");
        assertThat(diff.root().normTotalA()).isCloseTo(10 * 5_000_000 / 10.0, within(1e-6)); // 5 ms per sample
        assertThat(diff.semantics()).contains("ns per invocation");
    }

    private static double sumOfDelta(DiffNode node) {
        double sum = node.delta();
        for (DiffNode c : node.children()) {
            sum += sumOfDelta(c);
        }
        return sum;
    }
}
