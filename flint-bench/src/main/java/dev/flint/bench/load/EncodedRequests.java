package dev.flint.bench.load;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * A target's requests, each encoded once into a direct buffer before the run; every send writes a
 * retained duplicate (a recycled view of the same bytes, not a copy).
 */
final class EncodedRequests {

    private final ByteBuf[] variants;
    private final InetSocketAddress address;
    private final boolean head;

    EncodedRequests(ByteBuf[] variants, InetSocketAddress address, boolean head) {
        this.variants = variants;
        this.address = address;
        this.head = head;
    }

    InetSocketAddress address() {
        return address;
    }

    /** The request is a HEAD: its answers have no body. */
    boolean head() {
        return head;
    }

    int size() {
        return variants.length;
    }

    /** A new reference to variant {@code cursor} (modulo their number), for one write. */
    ByteBuf request(int cursor) {
        ByteBuf[] all = variants;
        return all[all.length == 1 ? 0 : Math.floorMod(cursor, all.length)].retainedDuplicate();
    }

    /** The bytes of variant {@code index}, for tests and diagnostics. */
    byte[] bytes(int index) {
        ByteBuf buf = variants[index];
        byte[] out = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), out);
        return out;
    }

    void release() {
        for (ByteBuf buf : variants) {
            buf.release();
        }
    }
}
