package dev.flint.trace.query;

import dev.flint.trace.model.LongIntMap;
import dev.flint.trace.model.FrameTable;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.StackTable;
import dev.flint.trace.model.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Flame graphs of a selection of samples.
 *
 * <p>How: one pass over the selected rows adds each row's value to its stack id; one backwards pass
 * over the stack ids adds every stack's total into its parent (a parent's id is smaller than its
 * children's); the nodes are the stacks with a total above zero. No text is read on the way except
 * the names of the nodes that are finally shown.
 *
 * <p><b>Merge key: (name, kind).</b> The stack table keeps frames that differ only by module apart
 * (the same function in two copies of a library, {@code [unknown]} in two DSOs); siblings with the
 * same name and kind are one node, as FlameScope matches children by (name, libtype), and their
 * subtrees are merged in turn. A merged node shows the module of its heaviest part. Frames of
 * different kinds (a JIT-compiled and an interpreted copy of one method) stay apart: the kind is
 * what the colour shows.
 *
 * <p><b>Pruning.</b> Children whose total is below {@code minWidth} of the root's total are replaced
 * by one {@link FlameNode#OTHER} child per parent, whose total (and self) is theirs added up and
 * whose {@code prunedNodes} counts every node it hides: the pruned children and all nodes below
 * them. Every total, the root's included, is unchanged by pruning.
 *
 * <p>Children are sorted by total, largest first; ties by name, then kind, then module.
 */
public final class FlameGraphs {

    /** The root node's name. */
    public static final String ROOT_NAME = "all";

    /** Children order: total descending, then name, kind, module, so that output is deterministic. */
    static final Comparator<FlameNode> ORDER = Comparator.comparingLong(FlameNode::total).reversed()
            .thenComparing(FlameNode::name)
            .thenComparing(FlameNode::kind, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(FlameNode::module);

    private FlameGraphs() {}

    /**
     * @param measure  samples (each row's count) or weight (its period)
     * @param minWidth fraction of the root's total below which a node is merged into "other"; 0 keeps all
     */
    public record Options(Measure measure, double minWidth) {

        /** Samples, pruning nodes under 0.1 % of the total (about a pixel of a 1,200 px graph). */
        public static final Options DEFAULT = new Options(Measure.SAMPLES, 0.001);

        public Options {
            if (!(minWidth >= 0 && minWidth <= 1)) {
                throw new IllegalArgumentException("minWidth is a fraction of the total, 0 to 1: " + minWidth);
            }
        }

        public Options withMeasure(Measure measure) {
            return new Options(measure, minWidth);
        }

        public Options withMinWidth(double minWidth) {
            return new Options(measure, minWidth);
        }
    }

    public static FlameGraph build(Trace trace, SampleFilter filter) {
        return build(trace, filter, Options.DEFAULT);
    }

    /** The flame graph of the samples {@code filter} selects. */
    public static FlameGraph build(Trace trace, SampleFilter filter, Options options) {
        Selection selection = filter.select(trace);
        SampleStore store = trace.samples();
        StackTable stacks = trace.stacks();
        FrameTable frames = trace.frames();
        Measure measure = options.measure();
        int n = stacks.size();

        long[] self = new long[n];
        long samples = 0;
        for (int i = 0; i < selection.rangeCount(); i++) {
            for (int row = selection.rangeFrom(i), end = selection.rangeTo(i); row < end; row++) {
                if (selection.accepts(row)) {
                    self[store.stack(row)] += measure.of(store, row);
                    samples += store.count(row);
                }
            }
        }
        long[] total = new long[n];
        long rootTotal = 0;
        for (int s = n - 1; s >= 0; s--) {
            total[s] += self[s];
            int parent = stacks.parent(s);
            if (parent == StackTable.ROOT) {
                rootTotal += total[s];
            } else {
                total[parent] += total[s];
            }
        }

        // node[s]: the node stack s is merged into (itself unless a sibling has the same name and kind).
        FrameKeys.Keys keys = FrameKeys.of(frames);
        int[] node = null;
        int[] moduleFrame = null;
        if (keys != null) {
            node = new int[n];
            moduleFrame = new int[n];
            merge(stacks, keys, self, total, node, moduleFrame);
        }

        long minTotal = (long) Math.ceil(options.minWidth() * rootTotal);
        Tree tree = new Tree(stacks, node, total, minTotal);
        FlameNode[] built = new FlameNode[n];
        List<FlameNode> children = new ArrayList<>();
        for (int s = n - 1; s >= -1; s--) {
            if (s >= 0 && !tree.kept(s)) {
                continue;
            }
            children.clear();
            for (int c = tree.firstChild(s); c >= 0; c = tree.nextSibling(c)) {
                children.add(built[c]);
                built[c] = null;
            }
            if (tree.otherTotal(s) > 0) {
                children.add(new FlameNode(FlameNode.OTHER, null, "", tree.otherTotal(s), tree.otherTotal(s),
                        List.of(), tree.otherNodes(s)));
            }
            children.sort(ORDER);
            if (s < 0) {
                FlameNode root = new FlameNode(ROOT_NAME, null, "", 0, rootTotal, children, 0);
                return new FlameGraph(root, measure.unit(selection.event()), samples, minTotal, selection.event());
            }
            int frame = stacks.frame(s);
            String module = frames.module(moduleFrame == null ? frame : moduleFrame[s]);
            built[s] = new FlameNode(frames.name(frame), frames.kind(frame), module, self[s], total[s], children, 0);
        }
        throw new AssertionError("unreachable: the root is built last");
    }

    /**
     * Merges siblings with the same (name, kind): fills, per stack, the stack whose node it joins (the
     * first such sibling, so never a larger id; -1 for a stack with nothing selected), moving its self
     * and total there, and per node the frame of its heaviest part, whose module the node shows.
     *
     * <p>Only stacks at or below a frame whose (name, kind) another frame shares can merge, and only
     * with each other: by induction from the top, a stack outside such subtrees is the only one of its
     * (parent, name, kind). So only those stacks are looked up by key; the others are their own node.
     */
    private static void merge(StackTable stacks, FrameKeys.Keys keys, long[] self, long[] total, int[] node,
                              int[] moduleFrame) {
        int[] canonical = keys.canonical();
        boolean[] duplicated = keys.duplicated();
        int n = stacks.size();
        boolean[] mayMerge = new boolean[n];
        long[] heaviest = null;
        LongIntMap byKey = null;
        for (int s = 0; s < n; s++) {
            int frame = stacks.frame(s);
            moduleFrame[s] = frame;
            if (total[s] == 0) {
                node[s] = -1;
                continue;
            }
            int parent = stacks.parent(s);
            mayMerge[s] = duplicated[frame] || (parent != StackTable.ROOT && mayMerge[parent]);
            if (!mayMerge[s]) {
                node[s] = s;
                continue;
            }
            if (byKey == null) {
                byKey = new LongIntMap(1024);
                heaviest = new long[n];
            }
            int parentNode = parent == StackTable.ROOT ? -1 : node[parent]; // total[parent] >= total[s] > 0
            long key = ((long) (parentNode + 1) << 32) | canonical[frame];
            int into = byKey.putIfAbsent(key, s);
            if (into < 0) {
                node[s] = s;
                heaviest[s] = total[s];
            } else {
                node[s] = into;
                if (total[s] > heaviest[into]) {
                    heaviest[into] = total[s];
                    moduleFrame[into] = frame;
                }
                self[into] += self[s];
                total[into] += total[s];
                self[s] = 0;
                total[s] = 0;
            }
        }
    }

    /** The merged, pruned tree as linked lists of kept children, and per parent its pruned remainder. */
    private static final class Tree {
        private final int[] firstChild; // index s + 1; index 0 is the root
        private final int[] nextSibling;
        private final boolean[] kept;
        private final long[] otherTotal; // index s + 1
        private final int[] otherNodes; // index s + 1

        Tree(StackTable stacks, int[] node, long[] total, long minTotal) {
            int n = stacks.size();
            firstChild = new int[n + 1];
            nextSibling = new int[n];
            kept = new boolean[n];
            otherTotal = new long[n + 1];
            otherNodes = new int[n + 1];
            Arrays.fill(firstChild, -1);
            int[] below = new int[n]; // nodes in each node's subtree, itself included
            for (int s = n - 1; s >= 0; s--) {
                if (total[s] == 0 || (node != null && node[s] != s)) {
                    continue;
                }
                below[s]++;
                int parent = parentNode(stacks, node, s);
                if (parent >= 0) {
                    below[parent] += below[s];
                }
            }
            for (int s = 0; s < n; s++) {
                if (total[s] == 0 || (node != null && node[s] != s)) {
                    continue;
                }
                int parent = parentNode(stacks, node, s);
                if (parent >= 0 && !kept[parent]) {
                    continue; // inside a pruned subtree
                }
                if (total[s] >= minTotal) {
                    kept[s] = true;
                    // Pushed in ascending order, so each list runs from the largest id; order is sorted later.
                    nextSibling[s] = firstChild[parent + 1];
                    firstChild[parent + 1] = s;
                } else {
                    otherTotal[parent + 1] += total[s];
                    otherNodes[parent + 1] += below[s];
                }
            }
        }

        private static int parentNode(StackTable stacks, int[] node, int s) {
            int parent = stacks.parent(s);
            return parent == StackTable.ROOT || node == null ? parent : node[parent];
        }

        boolean kept(int s) {
            return kept[s];
        }

        int firstChild(int s) {
            return firstChild[s + 1];
        }

        int nextSibling(int c) {
            return nextSibling[c];
        }

        long otherTotal(int s) {
            return otherTotal[s + 1];
        }

        int otherNodes(int s) {
            return otherNodes[s + 1];
        }
    }
}
