package dev.flint.host.invoke.envelope;

import io.vertx.core.buffer.Buffer;
import java.io.OutputStream;

/**
 * Lets Jackson's generator write straight into a Vert.x buffer. {@code Buffer.buffer(byte[])} copies
 * its argument, so building a byte array first would cost one more copy of every envelope.
 */
final class BufferOutputStream extends OutputStream {

    private final Buffer buffer;

    BufferOutputStream(Buffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public void write(int b) {
        buffer.appendByte((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        buffer.appendBytes(bytes, offset, length);
    }
}
