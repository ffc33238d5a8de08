package dev.flint.host.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Percent-decoding of path segments, as Kestrel decodes the path before routing. */
class PathDecoderTest {

    @ParameterizedTest
    @MethodSource("cases")
    void decodes(String raw, String decoded) {
        assertThat(PathDecoder.decode("/" + raw + "/", 1, raw.length() + 1)).isEqualTo(decoded);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                decodes("no escapes", "plain", "plain"),
                decodes("space", "a%20b", "a b"),
                decodes("lower-case hex", "%c3%a9", "\u00e9"),
                decodes("three-byte UTF-8", "%E2%82%AC", "\u20ac"),
                decodes("four-byte UTF-8", "%F0%9F%98%80", "\uD83D\uDE00"),
                decodes("percent sign", "100%25", "100%"),
                decodes("encoded slash stays", "a%2Fb%2fc", "a%2Fb%2fc"),
                decodes("plus stays", "a+b", "a+b"),
                decodes("not hex", "%zz", "%zz"),
                decodes("truncated escape", "ab%4", "ab%4"),
                decodes("lone lead byte", "%C3x", "%C3x"),
                decodes("bad continuation", "%C3%28", "%C3("),
                decodes("overlong encoding", "%C0%AF", "%C0%AF"),
                decodes("encoded surrogate", "%ED%A0%80", "%ED%A0%80"),
                decodes("raw non-ASCII kept", "caf\u00e9", "caf\u00e9"));
    }

    private static Arguments decodes(String name, String raw, String decoded) {
        return argumentSet(name + ": " + raw, raw, decoded);
    }
}
