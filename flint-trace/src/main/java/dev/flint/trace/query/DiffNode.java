package dev.flint.trace.query;

import dev.flint.trace.model.FrameKind;
import java.util.List;

/**
 * One node of a {@link Differential}: a normalised name path, with its values on both sides. A is
 * the baseline, B the target. Raw values are in the differential's unit; normalised values are raw
 * values divided by the side's divisor (its total, or its number of invocations); {@code delta} is
 * normalised B minus normalised A, on self or on total as the differential says.
 *
 * @param name       the normalised name
 * @param kind       the kind of the heaviest frame of that name (B's if B has one); null for the root
 *                   and "other"
 * @param module     that frame's module, "" when unknown
 * @param presence   whether the path is on both sides, only in B ({@link Presence#NEW}) or only in A
 *                   ({@link Presence#VANISHED})
 * @param children   sorted by the larger of the two normalised totals, largest first; ties by name
 * @param prunedNodes for an {@link FlameNode#OTHER} node, how many nodes it stands for
 */
public record DiffNode(String name, FrameKind kind, String module,
                       long selfA, long totalA, long selfB, long totalB,
                       double normSelfA, double normTotalA, double normSelfB, double normTotalB,
                       double delta, Presence presence, List<DiffNode> children, int prunedNodes) {

    /** Where a path occurs. */
    public enum Presence {
        /** In both selections. */
        BOTH,
        /** Only in B, the target: new code. */
        NEW,
        /** Only in A, the baseline: code that is gone. */
        VANISHED
    }

    public DiffNode {
        children = List.copyOf(children);
    }

    public boolean isOther() {
        return kind == null && prunedNodes > 0;
    }

    /** Presence from the two totals (a node with neither does not exist). */
    static Presence presence(long totalA, long totalB) {
        return totalA == 0 ? Presence.NEW : totalB == 0 ? Presence.VANISHED : Presence.BOTH;
    }
}
