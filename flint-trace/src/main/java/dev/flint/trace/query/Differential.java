package dev.flint.trace.query;

import dev.flint.trace.model.LongIntMap;
import dev.flint.trace.model.FrameKind;
import dev.flint.trace.model.FrameTable;
import dev.flint.trace.model.SampleStore;
import dev.flint.trace.model.StackTable;
import dev.flint.trace.model.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A differential flame graph of two selections: A, the baseline, and B, the target. The two may come
 * from one trace (two ranges, two sets of invocations) or from two (two machines, two JDKs).
 *
 * <p><b>Matching.</b> Nodes are matched by their path of names from the root, after the
 * {@link NameNormalizer} (use {@link NameNormalizer#CROSS_MACHINE} across machines). Kinds and
 * modules are not part of the key: a method JIT-compiled on one side and interpreted or inlined on
 * the other is one node, and a library's path differs between machines. The union of both trees is
 * returned: a path only in B is {@link DiffNode.Presence#NEW}, only in A
 * {@link DiffNode.Presence#VANISHED}.
 *
 * <p><b>Normalisation</b> ({@link Normalization}): each side's values are divided by its total
 * ({@link Normalization#TOTAL}: shares of the selection, as FlameScope and {@code difffolded.pl -n}
 * scale) or by its number of invocations ({@link Normalization#PER_INVOCATION}: e.g. CPU-ns per call
 * with {@link Measure#WEIGHT} on cpu-clock, fairer between machines of different speed).
 *
 * <p><b>Delta</b> ({@link Delta}): normalised B minus normalised A, of self ({@link Delta#SELF}, as
 * FlameScope and {@code flamegraph.pl} colour) or of total ({@link Delta#TOTAL}, d3-flame-graph's
 * {@code computeDelta}). Positive: more in B. (FlameScope's {@code d} is profile 1 minus profile 2,
 * in profile 1's samples: the other sign and another scale.) {@link #semantics()} says all this in
 * one sentence for a legend.
 *
 * <p><b>Pruning</b>: as {@link FlameGraphs}, on the larger of the two sides: a node stays when its
 * total is at least {@code minWidth} of its side's total on either side; the others become one
 * "other" node per parent, with their values added up.
 *
 * @param root          the root ("all"): on each side, the selection's total
 * @param normalization how values were normalised
 * @param deltaOn       which value delta compares
 * @param unit          the unit of the raw values
 * @param samplesA      samples selected in A, whatever the unit
 * @param samplesB      samples selected in B
 * @param divisorA      what A's values were divided by (its total, or its invocations)
 * @param divisorB      what B's values were divided by
 * @param eventA        the event counted in A
 * @param eventB        the event counted in B
 * @param minWidth      the pruning threshold, a fraction of each side's total
 */
public record Differential(DiffNode root, Normalization normalization, Delta deltaOn, String unit,
                           long samplesA, long samplesB, double divisorA, double divisorB,
                           EventChoice eventA, EventChoice eventB, double minWidth) {

    /** What each side's values are divided by. */
    public enum Normalization {
        /** The side's total: values become fractions of the selection. */
        TOTAL,
        /** The side's number of invocations: values become amounts per invocation. */
        PER_INVOCATION
    }

    /** Which value the delta compares. */
    public enum Delta {
        /** Self: where the time itself went (FlameScope, flamegraph.pl). */
        SELF,
        /** Total, self and below (d3-flame-graph). */
        TOTAL
    }

    /**
     * One side of a comparison.
     *
     * @param invocations how many invocations the selection covers, for {@link Normalization#PER_INVOCATION}
     */
    public record Side(Trace trace, SampleFilter filter, long invocations) {

        public Side {
            Objects.requireNonNull(trace, "trace");
            Objects.requireNonNull(filter, "filter");
            if (invocations < 0) {
                throw new IllegalArgumentException("invocations must be >= 0: " + invocations);
            }
        }

        /** A side whose invocation count is the number of invocations its filter selects (often 0). */
        public static Side of(Trace trace, SampleFilter filter) {
            return new Side(trace, filter, filter.invocations().size());
        }

        public Side withInvocations(long invocations) {
            return new Side(trace, filter, invocations);
        }
    }

    /**
     * @param names    how names are normalised before matching
     * @param minWidth fraction of a side's total below which a node is merged into "other" (on both sides)
     */
    public record Options(Measure measure, Normalization normalization, Delta delta, NameNormalizer names,
                          double minWidth) {

        /** Samples, normalised by total, self delta (FlameScope's semantics), names as they are, 0.1 %. */
        public static final Options DEFAULT = new Options(Measure.SAMPLES, Normalization.TOTAL, Delta.SELF,
                NameNormalizer.NONE, 0.001);

        public Options {
            Objects.requireNonNull(measure, "measure");
            Objects.requireNonNull(normalization, "normalization");
            Objects.requireNonNull(delta, "delta");
            Objects.requireNonNull(names, "names");
            if (!(minWidth >= 0 && minWidth <= 1)) {
                throw new IllegalArgumentException("minWidth is a fraction of the total, 0 to 1: " + minWidth);
            }
        }

        public Options withMeasure(Measure measure) {
            return new Options(measure, normalization, delta, names, minWidth);
        }

        public Options withNormalization(Normalization normalization) {
            return new Options(measure, normalization, delta, names, minWidth);
        }

        public Options withDelta(Delta delta) {
            return new Options(measure, normalization, delta, names, minWidth);
        }

        public Options withNames(NameNormalizer names) {
            return new Options(measure, normalization, delta, names, minWidth);
        }

        public Options withMinWidth(double minWidth) {
            return new Options(measure, normalization, delta, names, minWidth);
        }
    }

    public static Differential compare(Side a, Side b) {
        return compare(a, b, Options.DEFAULT);
    }

    /**
     * Compares two selections. Cost: a pass over each side's selected rows and stacks, and one call of
     * the normalizer per frame that occurs in a selected stack.
     *
     * @throws IllegalArgumentException for {@link Normalization#PER_INVOCATION} with a side of 0 invocations
     */
    public static Differential compare(Side a, Side b, Options options) {
        if (options.normalization() == Normalization.PER_INVOCATION && (a.invocations() == 0 || b.invocations() == 0)) {
            throw new IllegalArgumentException("normalising per invocation needs the number of invocations of each"
                    + " side; got A: " + a.invocations() + ", B: " + b.invocations());
        }
        Selection selA = a.filter().select(a.trace());
        Selection selB = b.filter().select(b.trace());
        Union union = new Union(options.names());
        long samplesA = union.add(a.trace(), selA, options.measure(), 0);
        long samplesB = union.add(b.trace(), selB, options.measure(), 1);

        double divisorA = options.normalization() == Normalization.TOTAL ? union.total[0][0] : a.invocations();
        double divisorB = options.normalization() == Normalization.TOTAL ? union.total[1][0] : b.invocations();
        String unitA = options.measure().unit(selA.event());
        String unitB = options.measure().unit(selB.event());
        DiffNode root = union.build(a.trace(), b.trace(), options, scale(divisorA), scale(divisorB));
        return new Differential(root, options.normalization(), options.delta(),
                unitA.equals(unitB) ? unitA : "A: " + unitA + ", B: " + unitB, samplesA, samplesB, divisorA, divisorB,
                selA.event(), selB.event(), options.minWidth());
    }

    /** What the values and the delta mean, in one paragraph for a legend. */
    public String semantics() {
        String basis = deltaOn == Delta.SELF ? "self" : "total";
        String divisors = normalization == Normalization.TOTAL
                ? "each side's values are fractions of its total (A: " + fmt(divisorA) + " " + unit + ", B: "
                        + fmt(divisorB) + " " + unit + ")"
                : "each side's values are " + unit + " per invocation (A: " + fmt(divisorA) + " invocations, B: "
                        + fmt(divisorB) + ")";
        return "A is the baseline, B the target; " + divisors + "; delta = " + basis + "(B)/" + fmt(divisorB) + " - "
                + basis + "(A)/" + fmt(divisorA) + ", positive where B has more; NEW: only in B, VANISHED: only in A;"
                + " frames are matched by their path of normalised names.";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static double scale(double divisor) {
        return divisor == 0 ? 0 : 1 / divisor;
    }

    /** Comparator of siblings: the larger normalised total of either side, largest first; then name. */
    private static final Comparator<DiffNode> ORDER = Comparator
            .comparingDouble((DiffNode d) -> Math.max(d.normTotalA(), d.normTotalB())).reversed()
            .thenComparing(DiffNode::name)
            .thenComparing(DiffNode::kind, Comparator.nullsLast(Comparator.naturalOrder()));

    /**
     * The union of both sides' trees, keyed by (parent node, normalised name id). Node 0 is the root;
     * a node's parent always has a smaller id, so a backwards pass visits children first.
     */
    private static final class Union {
        private final NameNormalizer normalizer;
        private final Map<String, Integer> nameIds = new HashMap<>();
        private final List<String> names = new ArrayList<>();
        private final LongIntMap index = new LongIntMap(1 << 12);
        private int size = 1;
        private int[] parent = new int[1024];
        private int[] name = new int[1024];
        private final long[][] self = {new long[1024], new long[1024]};
        private final long[][] total = {new long[1024], new long[1024]};
        /** Per side, the frame that contributed most to the node (for its kind and module), -1 if none. */
        private final int[][] frame = {filled(1024), filled(1024)};
        private final long[][] heaviest = {new long[1024], new long[1024]};

        Union(NameNormalizer normalizer) {
            this.normalizer = normalizer;
            parent[0] = -1;
            name[0] = -1;
        }

        /** Adds one side's selection; returns its sample count. */
        long add(Trace trace, Selection selection, Measure measure, int side) {
            SampleStore store = trace.samples();
            StackTable stacks = trace.stacks();
            FrameTable frames = trace.frames();
            int n = stacks.size();
            long[] stackSelf = new long[n];
            long samples = 0;
            for (int i = 0; i < selection.rangeCount(); i++) {
                for (int row = selection.rangeFrom(i), end = selection.rangeTo(i); row < end; row++) {
                    if (selection.accepts(row)) {
                        stackSelf[store.stack(row)] += measure.of(store, row);
                        samples += store.count(row);
                    }
                }
            }
            long[] stackTotal = stackSelf.clone();
            for (int s = n - 1; s >= 0; s--) {
                int p = stacks.parent(s);
                if (p != StackTable.ROOT) {
                    stackTotal[p] += stackTotal[s];
                }
            }
            int[] nameOfFrame = new int[frames.size()];
            Arrays.fill(nameOfFrame, -1);
            int[] nodeOf = new int[n];
            for (int s = 0; s < n; s++) {
                if (stackTotal[s] == 0) {
                    continue;
                }
                int p = stacks.parent(s);
                int parentNode = p == StackTable.ROOT ? 0 : nodeOf[p];
                int f = stacks.frame(s);
                int nameId = nameOfFrame[f];
                if (nameId < 0) {
                    nameId = nameOfFrame[f] = intern(normalizer.normalize(frames.name(f)));
                }
                int node = index.putIfAbsent(((long) parentNode << 32) | nameId, size);
                if (node < 0) {
                    node = newNode(parentNode, nameId);
                }
                nodeOf[s] = node;
                self[side][node] += stackSelf[s];
                total[side][node] += stackTotal[s];
                if (p == StackTable.ROOT) {
                    total[side][0] += stackTotal[s];
                }
                if (stackTotal[s] > heaviest[side][node]) {
                    heaviest[side][node] = stackTotal[s];
                    frame[side][node] = f;
                }
            }
            return samples;
        }

        DiffNode build(Trace a, Trace b, Options options, double scaleA, double scaleB) {
            long minA = (long) Math.ceil(options.minWidth() * total[0][0]);
            long minB = (long) Math.ceil(options.minWidth() * total[1][0]);
            int[] below = new int[size];
            for (int i = size - 1; i > 0; i--) {
                below[i]++;
                below[parent[i]] += below[i];
            }
            boolean[] kept = new boolean[size];
            int[] firstChild = new int[size];
            int[] nextSibling = new int[size];
            Arrays.fill(firstChild, -1);
            long[] otherA = new long[size]; // per parent, its pruned children's totals and nodes
            long[] otherB = new long[size];
            int[] otherNodes = new int[size];
            kept[0] = true;
            for (int i = 1; i < size; i++) {
                int p = parent[i];
                if (!kept[p]) {
                    continue;
                }
                long ta = total[0][i];
                long tb = total[1][i];
                if ((ta > 0 && ta >= minA) || (tb > 0 && tb >= minB)) {
                    kept[i] = true;
                    nextSibling[i] = firstChild[p];
                    firstChild[p] = i;
                } else {
                    otherA[p] += ta;
                    otherB[p] += tb;
                    otherNodes[p] += below[i];
                }
            }
            DiffNode[] built = new DiffNode[size];
            List<DiffNode> children = new ArrayList<>();
            for (int i = size - 1; i >= 0; i--) {
                if (!kept[i]) {
                    continue;
                }
                children.clear();
                for (int c = firstChild[i]; c >= 0; c = nextSibling[c]) {
                    children.add(built[c]);
                    built[c] = null;
                }
                if (otherNodes[i] > 0) {
                    long oa = otherA[i];
                    long ob = otherB[i];
                    children.add(node(FlameNode.OTHER, null, "", oa, oa, ob, ob, options, scaleA, scaleB, List.of(),
                            otherNodes[i]));
                }
                children.sort(ORDER);
                if (i == 0) {
                    return node(FlameGraphs.ROOT_NAME, null, "", 0, total[0][0], 0, total[1][0], options, scaleA,
                            scaleB, children, 0);
                }
                boolean fromB = frame[1][i] >= 0;
                FrameTable frames = (fromB ? b : a).frames();
                int f = frame[fromB ? 1 : 0][i];
                built[i] = node(names.get(name[i]), frames.kind(f), frames.module(f), self[0][i], total[0][i],
                        self[1][i], total[1][i], options, scaleA, scaleB, children, 0);
            }
            throw new AssertionError("unreachable: the root is built last");
        }

        private static DiffNode node(String name, FrameKind kind, String module, long selfA, long totalA, long selfB,
                                     long totalB, Options options, double scaleA, double scaleB,
                                     List<DiffNode> children, int pruned) {
            double nsa = selfA * scaleA;
            double nta = totalA * scaleA;
            double nsb = selfB * scaleB;
            double ntb = totalB * scaleB;
            double delta = options.delta() == Delta.SELF ? nsb - nsa : ntb - nta;
            DiffNode.Presence presence = totalA == 0 && totalB == 0 ? DiffNode.Presence.BOTH // an empty root
                    : DiffNode.presence(totalA, totalB);
            return new DiffNode(name, kind, module, selfA, totalA, selfB, totalB, nsa, nta, nsb, ntb, delta, presence,
                    children, pruned);
        }

        private int intern(String s) {
            Integer id = nameIds.get(s);
            if (id != null) {
                return id;
            }
            names.add(s);
            nameIds.put(s, names.size() - 1);
            return names.size() - 1;
        }

        private int newNode(int parentNode, int nameId) {
            if (size == parent.length) {
                int capacity = size * 2;
                parent = Arrays.copyOf(parent, capacity);
                name = Arrays.copyOf(name, capacity);
                for (int side = 0; side < 2; side++) {
                    self[side] = Arrays.copyOf(self[side], capacity);
                    total[side] = Arrays.copyOf(total[side], capacity);
                    heaviest[side] = Arrays.copyOf(heaviest[side], capacity);
                    int[] grown = Arrays.copyOf(frame[side], capacity);
                    Arrays.fill(grown, size, capacity, -1);
                    frame[side] = grown;
                }
            }
            parent[size] = parentNode;
            name[size] = nameId;
            return size++;
        }

        private static int[] filled(int n) {
            int[] a = new int[n];
            Arrays.fill(a, -1);
            return a;
        }
    }
}
