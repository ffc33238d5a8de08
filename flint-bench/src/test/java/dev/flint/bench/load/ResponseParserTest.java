package dev.flint.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The hand-written HTTP/1.x response parser, fed whole, in pieces, and byte by byte. */
class ResponseParserTest {

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    /** Feeds {@code text} in pieces of {@code piece} bytes; answers the last result and leaves {@code parser} as it ends. */
    private static int feed(ResponseParser parser, String text, int piece) {
        int result = ResponseParser.NEED_MORE;
        for (int i = 0; i < text.length(); i += piece) {
            ByteBuf buf = bytes(text.substring(i, Math.min(text.length(), i + piece)));
            result = parser.feed(buf);
            if (result != ResponseParser.NEED_MORE) {
                assertThat(i + piece >= text.length() || buf.isReadable() || result == ResponseParser.INVALID)
                        .as("complete before the end of the input at %d", i).isTrue();
                return result;
            }
        }
        return result;
    }

    private static ResponseParser parser() {
        ResponseParser parser = new ResponseParser();
        parser.reset(false);
        return parser;
    }

    @Test
    void contentLengthInAnyPieces() {
        String response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 11\r\n\r\n{\"ok\":true}";
        for (int piece : new int[] {1, 2, 3, 7, 16, 1000}) {
            ResponseParser parser = parser();
            assertThat(feed(parser, response, piece)).as("pieces of %d", piece).isEqualTo(ResponseParser.COMPLETE);
            assertThat(parser.status()).isEqualTo(200);
            assertThat(parser.keepAlive()).isTrue();
        }
    }

    @Test
    void chunkedWithExtensionsAndTrailersInAnyPieces() {
        String response = "HTTP/1.1 201 Created\r\nTransfer-Encoding: gzip, CHUNKED\r\n\r\n"
                + "5\r\nhello\r\n1A;name=value\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: yes\r\n\r\n";
        for (int piece : new int[] {1, 2, 5, 1000}) {
            ResponseParser parser = parser();
            assertThat(feed(parser, response, piece)).as("pieces of %d", piece).isEqualTo(ResponseParser.COMPLETE);
            assertThat(parser.status()).isEqualTo(201);
        }
    }

    @Test
    void leavesTheBytesAfterTheResponse() {
        ResponseParser parser = parser();
        ByteBuf buf = bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1");
        assertThat(parser.feed(buf)).isEqualTo(ResponseParser.COMPLETE);
        assertThat(buf.readableBytes()).isEqualTo(8);
    }

    @Test
    void connectionHeadersAndVersionsDecideKeepAlive() {
        ResponseParser parser = parser();
        feed(parser, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", 1000);
        assertThat(parser.keepAlive()).isFalse();

        parser.reset(false);
        feed(parser, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 1000);
        assertThat(parser.keepAlive()).as("HTTP/1.0 closes by default").isFalse();

        parser.reset(false);
        feed(parser, "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", 3);
        assertThat(parser.keepAlive()).isTrue();

        parser.reset(false);
        feed(parser, "HTTP/1.1 200 OK\r\nConnection: upgrade, keep-alive\r\nContent-Length: 0\r\n\r\n", 1000);
        assertThat(parser.keepAlive()).isTrue();
    }

    @Test
    void aBodyWithoutLengthEndsWithTheConnection() {
        ResponseParser parser = parser();
        assertThat(feed(parser, "HTTP/1.1 200 OK\r\n\r\nsome bytes", 4)).isEqualTo(ResponseParser.NEED_MORE);
        assertThat(parser.endOfInput()).isEqualTo(ResponseParser.COMPLETE);
        assertThat(parser.keepAlive()).isFalse();
    }

    @Test
    void aCloseInTheMiddleIsInvalid() {
        ResponseParser parser = parser();
        assertThat(feed(parser, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 1000)).isEqualTo(ResponseParser.NEED_MORE);
        assertThat(parser.idle()).isFalse();
        assertThat(parser.endOfInput()).isEqualTo(ResponseParser.INVALID);
    }

    @Test
    void interimAnswersAreSkipped() {
        ResponseParser parser = parser();
        assertThat(feed(parser, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nx", 2))
                .isEqualTo(ResponseParser.COMPLETE);
        assertThat(parser.status()).isEqualTo(404);
    }

    @Test
    void headAnswersAnd204HaveNoBody() {
        ResponseParser parser = new ResponseParser();
        parser.reset(true);
        assertThat(feed(parser, "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", 1000)).isEqualTo(ResponseParser.COMPLETE);

        parser.reset(false);
        assertThat(feed(parser, "HTTP/1.1 204 No Content\r\n\r\n", 1000)).isEqualTo(ResponseParser.COMPLETE);
        assertThat(parser.status()).isEqualTo(204);
    }

    @Test
    void otherHeadersAreSkippedUnread() {
        ResponseParser parser = parser();
        assertThat(feed(parser, "HTTP/1.1 200 Fine Thanks\r\nServer: nginx\r\nContent-Type: text/plain\r\n"
                + "Date: Mon, 01 Dec 2026 10:00:00 GMT\r\nX-Content-Length: 99\r\nContent-Length: 2\r\n\r\nok", 3))
                .isEqualTo(ResponseParser.COMPLETE);
        assertThat(parser.status()).isEqualTo(200);
    }

    @Test
    void bareLineFeedsAreAccepted() {
        ResponseParser parser = parser();
        assertThat(feed(parser, "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", 1000)).isEqualTo(ResponseParser.COMPLETE);
    }

    @Test
    void refusesWhatIsNotHttp() {
        String[] bad = {
            "SSH-2.0-OpenSSH_9.6\r\n",
            "HTTP/2 200\r\n\r\n",
            "HTTP/1.1 20 OK\r\n\r\n",
            "HTTP/1.1 2000 OK\r\n\r\n",
            "HTTP/1.1 099 Low\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
        };
        for (String response : bad) {
            ResponseParser parser = parser();
            assertThat(feed(parser, response, 1000)).as(response).isEqualTo(ResponseParser.INVALID);
            assertThat(parser.problem()).as(response).isNotBlank();
        }
    }

    @Test
    void refusesAnEndlessHead() {
        ResponseParser parser = parser();
        assertThat(parser.feed(bytes("HTTP/1.1 200 OK\r\n"))).isEqualTo(ResponseParser.NEED_MORE);
        int result = ResponseParser.NEED_MORE;
        for (int i = 0; i < 10_000 && result == ResponseParser.NEED_MORE; i++) {
            result = parser.feed(bytes("X-Filler: 0123456789\r\n"));
        }
        assertThat(result).isEqualTo(ResponseParser.INVALID);
    }

    @Test
    void aLongChunkedBodyIsNoHead() {
        ResponseParser parser = parser();
        StringBuilder response = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 20_000; i++) {
            response.append("3\r\nabc\r\n");
        }
        response.append("0\r\n\r\n");
        assertThat(feed(parser, response.toString(), 4096)).isEqualTo(ResponseParser.COMPLETE);
    }
}
