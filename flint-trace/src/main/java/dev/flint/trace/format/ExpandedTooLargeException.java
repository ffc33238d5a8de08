package dev.flint.trace.format;

import java.io.IOException;

/**
 * A gzip input that decompresses to more than the reader was allowed to read
 * ({@link TraceReader#read(java.io.InputStream, String, long)}): a gzip bomb, or simply a trace too
 * large for the caller. Small compressed uploads must not become unbounded work.
 */
public final class ExpandedTooLargeException extends IOException {

    private final long limitBytes;

    ExpandedTooLargeException(String source, long limitBytes) {
        super(source + ": the gzip content expands to more than " + limitBytes + " bytes, the limit");
        this.limitBytes = limitBytes;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
