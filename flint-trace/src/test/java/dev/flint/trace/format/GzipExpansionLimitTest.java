package dev.flint.trace.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.trace.model.Trace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** A gzip trace is read only up to a limit of decompressed bytes, so that a gzip bomb is refused early. */
class GzipExpansionLimitTest {

    private static final String FOLDED = "main;work;spin 3\nmain;idle 1\n";

    @Test
    void aBombIsStoppedAtTheLimitWithTheSourceNamed() throws Exception {
        byte[] padding = new byte[8 << 20];
        java.util.Arrays.fill(padding, (byte) '\n');
        byte[] bomb = gzip(concat(FOLDED.getBytes(StandardCharsets.US_ASCII), padding)); // 8 MiB of blank lines
        assertThat(bomb.length).as("compresses to almost nothing").isLessThan(64 << 10);
        assertThatThrownBy(() -> TraceReader.read(new ByteArrayInputStream(bomb), "bomb.gz", 1 << 20))
                .isInstanceOf(ExpandedTooLargeException.class)
                .hasMessageContaining("bomb.gz").hasMessageContaining("1048576");
    }

    @Test
    void theLimitCountsEveryLayerOfNestedGzip() {
        byte[] padding = new byte[4 << 20];
        java.util.Arrays.fill(padding, (byte) '\n');
        byte[] twice;
        try {
            twice = gzip(gzip(concat(FOLDED.getBytes(StandardCharsets.US_ASCII), padding)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> TraceReader.read(new ByteArrayInputStream(twice), "twice.gz", 1 << 20))
                .isInstanceOf(ExpandedTooLargeException.class);
    }

    @Test
    void aTraceWithinTheLimitIsRead() throws Exception {
        byte[] small = gzip(FOLDED.getBytes(StandardCharsets.US_ASCII));
        Trace trace = TraceReader.read(new ByteArrayInputStream(small), "small.gz", FOLDED.length());
        assertThat(trace.samples().totalCount()).isEqualTo(4);
        assertThatThrownBy(() -> TraceReader.read(new ByteArrayInputStream(small), "small.gz", FOLDED.length() - 1))
                .as("one byte less is past the limit").isInstanceOf(ExpandedTooLargeException.class);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
