package dev.flint.trace.query;

import dev.flint.trace.model.FrameKind;
import java.util.List;

/**
 * One node of a flame graph: a frame in a calling context, with the samples (or weight) that ran
 * in it ({@code self}) and in it or below it ({@code total}). Children are sorted by total,
 * largest first. Nodes below the graph's minimum width are merged into one child named
 * {@link #OTHER} per parent, whose {@code prunedNodes} says how many it stands for.
 *
 * @param kind   null for the root and for "other"
 * @param module "" when unknown
 */
public record FlameNode(String name, FrameKind kind, String module, long self, long total, List<FlameNode> children,
                        int prunedNodes) {

    /** The name of the node that stands for the children too narrow to show. */
    public static final String OTHER = "other";

    public FlameNode {
        children = List.copyOf(children);
    }

    public boolean isOther() {
        return kind == null && prunedNodes > 0;
    }
}
