package dev.flint.trace.query;

import static dev.flint.trace.query.TestTraces.MS;
import static dev.flint.trace.query.TestTraces.sec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.Trace;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FlameGraphsTest {

    private static final FlameGraphs.Options ALL_NODES = FlameGraphs.Options.DEFAULT.withMinWidth(0);

    private static FlameNode child(FlameNode node, String name) {
        return node.children().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no child " + name + " in " + node.name()));
    }

    private static List<String> names(FlameNode node) {
        return node.children().stream().map(FlameNode::name).toList();
    }

    @Test
    void selfAndTotalPerNode() {
        Trace trace = new TestTraces()
                .at(1, "java;main;a").at(2, "java;main;a").at(3, "java;main;a")
                .at(4, "java;main;b").at(5, "java;main")
                .at(6, "python;run").at(7, "python;run")
                .build();

        FlameGraph graph = FlameGraphs.build(trace, SampleFilter.all(), ALL_NODES);

        FlameNode root = graph.root();
        assertThat(root.name()).isEqualTo("all");
        assertThat(root.total()).isEqualTo(7);
        assertThat(root.self()).isZero();
        assertThat(names(root)).containsExactly("java", "python");
        FlameNode java = child(root, "java");
        assertThat(java.kind()).isEqualTo(FrameKind.PROCESS);
        assertThat(java.total()).isEqualTo(5);
        assertThat(java.self()).isZero();
        FlameNode main = child(java, "main");
        assertThat(main.self()).isEqualTo(1);
        assertThat(main.total()).isEqualTo(5);
        assertThat(names(main)).containsExactly("a", "b");
        assertThat(child(main, "a").self()).isEqualTo(3);
        assertThat(child(child(root, "python"), "run").total()).isEqualTo(2);
        assertThat(graph.samples()).isEqualTo(7);
        assertThat(graph.unit()).isEqualTo("samples");
        assertThat(graph.minTotal()).isZero();
    }

    @Test
    void childrenOfEqualTotalAreSortedByName() {
        Trace trace = new TestTraces().at(1, "p;gamma").at(2, "p;beta").at(3, "p;alpha").at(4, "p;beta")
                .at(5, "p;alpha").at(6, "p;delta").build();

        FlameNode p = child(FlameGraphs.build(trace, SampleFilter.all(), ALL_NODES).root(), "p");

        assertThat(names(p)).containsExactly("alpha", "beta", "delta", "gamma");
    }

    @Test
    void framesWithOneNameAndKindButTwoModulesAreOneNodeWithTheHeaviestModule() {
        Trace trace = new TestTraces()
                .at(1, "java;main;memcpy|libc.so.6;x").at(2, "java;main;memcpy|libc.so.6")
                .at(3, "java;main;memcpy|libc-2.31.so;x").at(4, "java;main;memcpy|libc-2.31.so;y")
                .at(5, "java;main;memcpy|libc-2.31.so")
                .build();

        FlameNode main = child(child(FlameGraphs.build(trace, SampleFilter.all(), ALL_NODES).root(), "java"), "main");

        assertThat(main.children()).hasSize(1);
        FlameNode memcpy = main.children().get(0);
        assertThat(memcpy.total()).isEqualTo(5);
        assertThat(memcpy.self()).isEqualTo(2);
        assertThat(memcpy.module()).isEqualTo("libc-2.31.so");
        assertThat(names(memcpy)).containsExactly("x", "y"); // the subtrees are merged too
        assertThat(child(memcpy, "x").total()).isEqualTo(2);
    }

    @Test
    void framesOfDifferentKindsStayApart() {
        Trace trace = new TestTraces().at(1, "java;Foo.run||jit").at(2, "java;Foo.run||interpreted")
                .at(3, "java;Foo.run||jit").build();

        FlameNode java = child(FlameGraphs.build(trace, SampleFilter.all(), ALL_NODES).root(), "java");

        assertThat(java.children()).extracting(FlameNode::kind, FlameNode::total)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FrameKind.JIT, 2L),
                        org.assertj.core.groups.Tuple.tuple(FrameKind.INTERPRETED, 1L));
    }

    @Test
    void narrowNodesBecomeOneOtherNodePerParentAndTotalsStay() {
        TestTraces t = new TestTraces();
        for (int i = 0; i < 990; i++) {
            t.at(i, "java;main;hot");
        }
        for (int i = 0; i < 10; i++) {
            t.at(1000 + i, "java;main;cold" + i + ";below");
        }
        Trace trace = t.build();

        FlameGraph graph = FlameGraphs.build(trace, SampleFilter.all(), FlameGraphs.Options.DEFAULT.withMinWidth(0.005));

        assertThat(graph.minTotal()).isEqualTo(5);
        assertThat(graph.root().total()).isEqualTo(1000);
        FlameNode main = child(child(graph.root(), "java"), "main");
        assertThat(main.total()).isEqualTo(1000);
        assertThat(names(main)).containsExactly("hot", FlameNode.OTHER);
        FlameNode other = main.children().get(1);
        assertThat(other.isOther()).isTrue();
        assertThat(other.kind()).isNull();
        assertThat(other.total()).isEqualTo(10);
        assertThat(other.self()).isEqualTo(10);
        assertThat(other.prunedNodes()).isEqualTo(20); // ten cold nodes and the node below each
        assertThat(other.children()).isEmpty();
    }

    @Test
    void theDefaultPrunesBelowOneThousandthOfTheTotal() {
        TestTraces t = new TestTraces();
        for (int i = 0; i < 2000; i++) {
            t.at(i, i == 0 ? "p;rare" : "p;common");
        }

        FlameGraph graph = FlameGraphs.build(t.build(), SampleFilter.all());

        assertThat(graph.minTotal()).isEqualTo(2);
        assertThat(names(child(graph.root(), "p"))).containsExactly("common", FlameNode.OTHER);
    }

    @Test
    void weightSumsPeriodsInNanosecondsForCpuClock() {
        Trace trace = new TestTraces().sample(1, 1, 5 * MS, "p;a", false).sample(2, 3, 15 * MS, "p;b", false).build();

        FlameGraph graph = FlameGraphs.build(trace, SampleFilter.all(), ALL_NODES.withMeasure(Measure.WEIGHT));

        assertThat(graph.unit()).isEqualTo("ns");
        assertThat(graph.root().total()).isEqualTo(20 * MS);
        assertThat(graph.samples()).isEqualTo(4);
        assertThat(names(child(graph.root(), "p"))).containsExactly("b", "a");
    }

    @Test
    void weightOfAnotherEventIsCalledWeight() {
        Trace trace = new TestTraces().event("cycles").sample(1, 1, 123_456, "p;a", false).build();

        FlameGraph graph = FlameGraphs.build(trace, SampleFilter.all().withEvent("cycles"),
                ALL_NODES.withMeasure(Measure.WEIGHT));

        assertThat(graph.unit()).isEqualTo("weight");
        assertThat(graph.root().total()).isEqualTo(123_456);
    }

    @Test
    void aRangeInSecondsSelectsItsSamplesOnly() {
        Trace trace = new TestTraces().at(sec("50.1"), "p;before").at(sec("51.2"), "p;inside")
                .at(sec("51.9"), "p;inside").at(sec("52.0"), "p;after").build();

        FlameGraph graph = FlameGraphs.build(trace, SampleFilter.seconds(trace, 1, 2), ALL_NODES);

        assertThat(graph.samples()).isEqualTo(2);
        assertThat(names(child(graph.root(), "p"))).containsExactly("inside");
    }

    @Test
    void theGraphSaysWhichEventItCounted() {
        Trace trace = new TestTraces().at(1, "p;a").event("cycles").at(2, "p;b").build();

        FlameGraph graph = FlameGraphs.build(trace, SampleFilter.all());

        assertThat(graph.event().name()).isEqualTo("cpu-clock");
        assertThat(graph.event().othersLeftOut()).isTrue();
        assertThat(graph.samples()).isEqualTo(1);
    }

    @Test
    void anEmptySelectionIsAnEmptyRoot() {
        Trace trace = new TestTraces().at(1, "p;a").build();

        FlameGraph graph = FlameGraphs.build(trace, SampleFilter.all().withPids(999));

        assertThat(graph.root().total()).isZero();
        assertThat(graph.root().children()).isEmpty();
        assertThat(graph.samples()).isZero();
    }

    @Test
    void untimedTracesHaveFlameGraphs() {
        Trace folded = new TestTraces("x.folded").untimed(4, "p;a").build();

        assertThat(FlameGraphs.build(folded, SampleFilter.all()).root().total()).isEqualTo(4);
    }

    /**
     * On random traces: the sum of self over all nodes is the root's total; every node's total is its
     * self plus its children's totals, pruned or not; children are sorted; and without pruning the
     * graph holds exactly the self counts of a naive fold of name paths.
     */
    @Test
    void invariantsOnRandomTraces() {
        Random random = new Random(1234);
        String[] names = {"a", "b", "c", "d", "e"};
        String[] modules = {"", "m1", "m2"};
        for (int trial = 0; trial < 200; trial++) {
            TestTraces t = new TestTraces();
            Map<String, Long> folded = new TreeMap<>();
            long rows = random.nextInt(300);
            for (int i = 0; i < rows; i++) {
                StringBuilder stack = new StringBuilder(random.nextBoolean() ? "java" : "python");
                StringBuilder key = new StringBuilder(stack);
                for (int depth = random.nextInt(6); depth > 0; depth--) {
                    String name = names[random.nextInt(names.length)];
                    String kind = random.nextInt(4) == 0 ? "jit" : "user";
                    stack.append(';').append(name).append('|').append(modules[random.nextInt(3)]).append('|')
                            .append(kind);
                    key.append(';').append(name).append('/').append(kind);
                }
                int count = 1 + random.nextInt(3);
                t.sample(i, count, count * 5L, stack.toString(), false);
                folded.merge(key.toString(), (long) count, Long::sum);
            }
            Trace trace = t.build();

            FlameGraph all = FlameGraphs.build(trace, SampleFilter.all(), ALL_NODES);
            assertThat(all.root().total()).isEqualTo(folded.values().stream().mapToLong(Long::longValue).sum());
            assertThat(sumOfSelf(all.root())).isEqualTo(all.root().total());
            checkNode(all.root());
            Map<String, Long> fromGraph = new TreeMap<>();
            flatten(all.root(), "", fromGraph);
            assertThat(fromGraph).as("trial %d", trial).isEqualTo(folded);

            double minWidth = random.nextDouble() * 0.3;
            FlameGraph pruned = FlameGraphs.build(trace, SampleFilter.all(), ALL_NODES.withMinWidth(minWidth));
            assertThat(pruned.root().total()).isEqualTo(all.root().total());
            assertThat(sumOfSelf(pruned.root())).isEqualTo(all.root().total());
            checkNode(pruned.root());
            checkPruned(pruned.root(), pruned.minTotal());
        }
    }

    private static long sumOfSelf(FlameNode node) {
        long sum = node.self();
        for (FlameNode c : node.children()) {
            sum += sumOfSelf(c);
        }
        return sum;
    }

    private static void checkNode(FlameNode node) {
        long children = node.children().stream().mapToLong(FlameNode::total).sum();
        assertThat(node.total()).as(node.name()).isEqualTo(node.self() + children);
        assertThat(node.children()).isSortedAccordingTo(FlameGraphs.ORDER);
        node.children().forEach(FlameGraphsTest::checkNode);
    }

    private static void checkPruned(FlameNode node, long minTotal) {
        for (FlameNode c : node.children()) {
            if (!c.isOther()) {
                assertThat(c.total()).isGreaterThanOrEqualTo(minTotal);
                checkPruned(c, minTotal);
            }
        }
        assertThat(node.children().stream().filter(FlameNode::isOther)).hasSizeLessThanOrEqualTo(1);
    }

    private static void flatten(FlameNode node, String path, Map<String, Long> out) {
        for (FlameNode c : node.children()) {
            String key = path.isEmpty() ? c.name()
                    : path + ";" + c.name() + "/" + c.kind().wireName();
            if (c.self() > 0) {
                out.put(key, c.self());
            }
            flatten(c, key, out);
        }
    }

    @Test
    void nodesCarryKindAndModule() {
        Trace trace = new TestTraces().at(1, "java;do_syscall_64|[kernel.kallsyms]|kernel").build();

        FlameNode leaf = child(child(FlameGraphs.build(trace, SampleFilter.all()).root(), "java"), "do_syscall_64");

        assertThat(leaf.kind()).isEqualTo(FrameKind.KERNEL);
        assertThat(leaf.module()).isEqualTo("[kernel.kallsyms]");
        assertThat(leaf.prunedNodes()).isZero();
    }
}
