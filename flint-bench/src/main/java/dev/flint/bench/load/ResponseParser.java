package dev.flint.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Reads HTTP/1.x responses from the bytes of one connection, as they arrive, without allocating: the
 * status line, the headers that decide where the answer ends ({@code Content-Length},
 * {@code Transfer-Encoding: chunked}, {@code Connection}), and the body, which is skipped. Interim
 * {@code 1xx} answers are skipped too; an answer with neither a length nor chunked encoding ends when
 * the server closes the connection ({@link #endOfInput()}).
 *
 * <p>The status line and the headers that matter are scanned byte by byte (through
 * {@link ByteBuf#forEachByte}); the reason phrase and every other header line are skipped in bulk
 * as soon as their first bytes show they decide nothing (so a malformed one goes unnoticed), and so
 * are bodies and chunks. State carries over from one buffer to the next, so nothing is ever copied. One
 * parser serves one connection, one response at a time: {@link #reset(boolean)} before each request.
 */
final class ResponseParser implements ByteProcessor {

    /** {@link #feed}: the response is not complete yet. */
    static final int NEED_MORE = 0;
    /** {@link #feed}: the response is complete; {@link #status()} and {@link #keepAlive()} tell about it. */
    static final int COMPLETE = 1;
    /** {@link #feed}: the bytes are not an HTTP/1.x response; {@link #problem()} says why. */
    static final int INVALID = -1;

    /** The longest status line, header section or chunk-size line accepted (a guard against garbage). */
    static final int MAX_HEAD_BYTES = 64 * 1024;

    private static final int STATUS_LINE = 0;
    private static final int HEADER_START = 1;
    private static final int HEADER_NAME = 2;
    private static final int HEADER_VALUE = 3;
    private static final int HEADERS_END_LF = 4;
    private static final int BODY_FIXED = 5;
    private static final int BODY_UNTIL_CLOSE = 6;
    private static final int CHUNK_SIZE = 7;
    private static final int CHUNK_EXTENSION = 8;
    private static final int CHUNK_DATA = 9;
    private static final int CHUNK_DATA_END = 10;
    private static final int TRAILER_START = 11;
    private static final int TRAILER_LINE = 12;
    private static final int TRAILER_END_LF = 13;
    private static final int DONE = 14;
    private static final int FAILED = 15;
    /** The rest of a line that decides nothing (the reason phrase, a header of no interest): skipped in bulk. */
    private static final int SKIP_LINE = 16;

    private static final byte[] STATUS_PREFIX = {'H', 'T', 'T', 'P', '/', '1', '.'};
    private static final byte[][] NAMES = {bytes("content-length"), bytes("transfer-encoding"), bytes("connection")};
    private static final int CONTENT_LENGTH = 0;
    private static final int TRANSFER_ENCODING = 1;
    private static final int CONNECTION = 2;
    private static final int ALL_NAMES = 0b111;
    private static final byte[] CHUNKED = bytes("chunked");
    private static final byte[] CLOSE = bytes("close");
    private static final byte[] KEEP_ALIVE = bytes("keep-alive");

    private int state = DONE;
    private boolean head;
    /** Bytes of the current line (status line) or of the head (headers, chunk-size line) so far. */
    private int position;
    private int headBytes;
    private int status;
    private boolean http10;
    private boolean chunked;
    private boolean closeHeader;
    private boolean keepAliveHeader;
    private long contentLength;
    /** Bytes of the body or chunk still to skip. */
    private long remaining;

    /** Which of {@link #NAMES} the header name read so far can still be (a bit each), then which it is. */
    private int candidates;
    private int nameLength;
    private int header;
    /** Content-Length: 0 before the first digit, 1 in the digits, 2 after them. */
    private int digitsState;
    private int chunkedMatch;
    private int closeMatch;
    private int keepAliveMatch;
    private int chunkDigits;
    private String problem;

    /** Starts a new response; {@code headRequest}: the request was a HEAD, so the answer has no body. */
    void reset(boolean headRequest) {
        state = STATUS_LINE;
        head = headRequest;
        position = 0;
        headBytes = 0;
        status = 0;
        http10 = false;
        chunked = false;
        closeHeader = false;
        keepAliveHeader = false;
        contentLength = -1;
        remaining = 0;
        problem = null;
    }

    /** True before the first byte of the response arrived (or when none is expected). */
    boolean idle() {
        return state == DONE || (state == STATUS_LINE && position == 0);
    }

    int status() {
        return status;
    }

    /** Whether the connection may carry the next request once this response is complete. */
    boolean keepAlive() {
        if (closeHeader) {
            return false;
        }
        return http10 ? keepAliveHeader : true;
    }

    /** What was wrong, after {@link #INVALID}. */
    String problem() {
        return problem;
    }

    /**
     * Consumes the bytes of {@code in} that belong to the current response; returns
     * {@link #COMPLETE} (bytes after the response are left unread), {@link #NEED_MORE} or
     * {@link #INVALID}.
     */
    int feed(ByteBuf in) {
        while (in.isReadable()) {
            switch (state) {
                case BODY_FIXED, CHUNK_DATA -> {
                    int skip = (int) Math.min(remaining, in.readableBytes());
                    in.skipBytes(skip);
                    remaining -= skip;
                    if (remaining == 0) {
                        if (state == BODY_FIXED) {
                            state = DONE;
                            return COMPLETE;
                        }
                        state = CHUNK_DATA_END;
                    }
                }
                case BODY_UNTIL_CLOSE -> in.skipBytes(in.readableBytes());
                case SKIP_LINE -> {
                    int from = in.readerIndex();
                    int lf = in.indexOf(from, in.writerIndex(), (byte) '\n');
                    int skipped = (lf < 0 ? in.writerIndex() : lf + 1) - from;
                    headBytes += skipped;
                    if (headBytes > MAX_HEAD_BYTES) {
                        fail("the response head is too long");
                        return INVALID;
                    }
                    in.skipBytes(skipped);
                    if (lf >= 0) {
                        state = HEADER_START;
                    }
                }
                case DONE -> {
                    return COMPLETE;
                }
                case FAILED -> {
                    return INVALID;
                }
                default -> {
                    int start = in.readerIndex();
                    int stop = in.forEachByte(start, in.readableBytes(), this);
                    if (stop < 0) {
                        in.readerIndex(in.writerIndex());
                    } else {
                        in.readerIndex(stop + 1);
                        if (state == FAILED) {
                            return INVALID;
                        }
                        if (state == DONE) {
                            return COMPLETE;
                        }
                    }
                }
            }
        }
        if (state == DONE) {
            return COMPLETE;
        }
        return state == FAILED ? INVALID : NEED_MORE;
    }

    /**
     * The server closed the connection: completes an answer that runs until the close, and is
     * {@link #INVALID} for any other unfinished one.
     */
    int endOfInput() {
        if (state == BODY_UNTIL_CLOSE || state == DONE) {
            state = DONE;
            return COMPLETE;
        }
        problem = "the connection closed before the end of the response";
        state = FAILED;
        return INVALID;
    }

    @Override
    public boolean process(byte b) {
        switch (state) {
            case STATUS_LINE:
                return statusLine(b);
            case HEADER_START:
                return headerStart(b);
            case HEADER_NAME:
                return headerName(b);
            case HEADER_VALUE:
                return headerValue(b);
            case HEADERS_END_LF:
                return b == '\n' ? endOfHeaders() : fail("a header line starts with CR without LF");
            case CHUNK_SIZE:
                return chunkSize(b);
            case CHUNK_EXTENSION:
                return chunkExtension(b);
            case CHUNK_DATA_END:
                return chunkDataEnd(b);
            case TRAILER_START:
                return trailerStart(b);
            case TRAILER_LINE:
                if (b == '\n') {
                    state = TRAILER_START;
                }
                return countHead();
            case TRAILER_END_LF:
                if (b != '\n') {
                    return fail("the trailers end with CR without LF");
                }
                state = DONE;
                return false;
            default:
                return fail("unexpected bytes");
        }
    }

    private boolean statusLine(byte b) {
        int p = position++;
        if (p < STATUS_PREFIX.length) {
            return b == STATUS_PREFIX[p] || fail("the answer does not start with HTTP/1.");
        }
        if (p == 7) {
            if (b != '0' && b != '1') {
                return fail("unsupported HTTP version");
            }
            http10 = b == '0';
            return true;
        }
        if (p == 8) {
            return b == ' ' || fail("no space after the HTTP version");
        }
        if (p <= 11) {
            if (b < '0' || b > '9') {
                return fail("the status code is not 3 digits");
            }
            status = status * 10 + (b - '0');
            if (p == 11 && status < 100) {
                return fail("the status code is below 100");
            }
            return true;
        }
        if (b == '\n') {
            state = HEADER_START;
            return true;
        }
        if (b != ' ' && b != '\r') {
            return fail("the status code is not 3 digits");
        }
        // The reason phrase says nothing the status code does not.
        headBytes = p + 1;
        state = SKIP_LINE;
        return false;
    }

    private boolean headerStart(byte b) {
        if (b == '\r') {
            state = HEADERS_END_LF;
            return countHead();
        }
        if (b == '\n') {
            return endOfHeaders();
        }
        state = HEADER_NAME;
        candidates = ALL_NAMES;
        nameLength = 0;
        return headerName(b);
    }

    private boolean headerName(byte b) {
        if (b == ':') {
            header = -1;
            for (int i = 0; i < NAMES.length; i++) {
                if ((candidates & (1 << i)) != 0 && NAMES[i].length == nameLength) {
                    header = i;
                }
            }
            state = HEADER_VALUE;
            digitsState = 0;
            chunkedMatch = 0;
            closeMatch = 0;
            keepAliveMatch = 0;
            if (header == CONTENT_LENGTH) {
                contentLength = 0;
            }
            return countHead();
        }
        if (b == '\n') {
            return fail("a header line has no colon");
        }
        if (candidates != 0) {
            byte lower = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
            for (int i = 0; i < NAMES.length; i++) {
                if ((candidates & (1 << i)) != 0 && (nameLength >= NAMES[i].length || NAMES[i][nameLength] != lower)) {
                    candidates &= ~(1 << i);
                }
            }
            nameLength++;
            if (candidates == 0) {
                // A header that does not decide where the answer ends: skip the rest of its line in bulk.
                state = SKIP_LINE;
                ++headBytes;
                return false;
            }
        }
        return countHead();
    }

    private boolean headerValue(byte b) {
        if (b == '\n') {
            if (header == CONTENT_LENGTH && digitsState == 0) {
                return fail("Content-Length has no digits");
            }
            state = HEADER_START;
            return countHead();
        }
        switch (header) {
            case CONTENT_LENGTH -> {
                if (b >= '0' && b <= '9') {
                    if (digitsState == 2) {
                        return fail("Content-Length is not a number");
                    }
                    digitsState = 1;
                    contentLength = contentLength * 10 + (b - '0');
                    if (contentLength > 1L << 50) {
                        return fail("Content-Length is too large");
                    }
                } else if (b == ' ' || b == '\t' || b == '\r') {
                    if (digitsState == 1) {
                        digitsState = 2;
                    }
                } else {
                    return fail("Content-Length is not a number");
                }
            }
            case TRANSFER_ENCODING -> {
                chunkedMatch = match(CHUNKED, chunkedMatch, b);
                if (chunkedMatch == CHUNKED.length) {
                    chunked = true;
                    chunkedMatch = 0;
                }
            }
            case CONNECTION -> {
                closeMatch = match(CLOSE, closeMatch, b);
                if (closeMatch == CLOSE.length) {
                    closeHeader = true;
                    closeMatch = 0;
                }
                keepAliveMatch = match(KEEP_ALIVE, keepAliveMatch, b);
                if (keepAliveMatch == KEEP_ALIVE.length) {
                    keepAliveHeader = true;
                    keepAliveMatch = 0;
                }
            }
            default -> {
                // a header that does not decide where the answer ends
            }
        }
        return countHead();
    }

    /**
     * One more byte of a case-insensitive substring search; restarting at the first letter is exact
     * because none of the words searched for has its first letter anywhere else.
     */
    private static int match(byte[] word, int matched, byte b) {
        byte lower = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
        if (word[matched] == lower) {
            return matched + 1;
        }
        return word[0] == lower ? 1 : 0;
    }

    /** The empty line after the headers: decides how the body ends; false stops the byte scan. */
    private boolean endOfHeaders() {
        if (status < 200 && status != 101) {
            // An interim answer (100 Continue, 103 Early Hints): the real one follows.
            reset(head);
            return true;
        }
        position = 0;
        headBytes = 0;
        if (head || status == 204 || status == 304 || status == 101) {
            state = DONE;
            return false;
        }
        if (chunked) {
            state = CHUNK_SIZE;
            remaining = 0;
            chunkDigits = 0;
            return true;
        }
        if (contentLength >= 0) {
            remaining = contentLength;
            state = contentLength == 0 ? DONE : BODY_FIXED;
            return false;
        }
        closeHeader = true;
        state = BODY_UNTIL_CLOSE;
        return false;
    }

    private boolean chunkSize(byte b) {
        int digit = hex(b);
        if (digit >= 0) {
            if (++chunkDigits > 15) {
                return fail("a chunk size is too large");
            }
            remaining = remaining << 4 | digit;
            return countHead();
        }
        if (chunkDigits == 0) {
            return fail("a chunk has no size");
        }
        if (b == '\n') {
            return endOfChunkSize();
        }
        state = CHUNK_EXTENSION;
        return countHead();
    }

    private boolean chunkExtension(byte b) {
        return b == '\n' ? endOfChunkSize() : countHead();
    }

    private boolean endOfChunkSize() {
        if (remaining == 0) {
            state = TRAILER_START;
            return true;
        }
        state = CHUNK_DATA;
        return false;
    }

    private boolean chunkDataEnd(byte b) {
        if (b == '\r') {
            return true;
        }
        if (b != '\n') {
            return fail("a chunk is longer than its size");
        }
        state = CHUNK_SIZE;
        remaining = 0;
        chunkDigits = 0;
        headBytes = 0;
        return true;
    }

    private boolean trailerStart(byte b) {
        if (b == '\r') {
            state = TRAILER_END_LF;
            return countHead();
        }
        if (b == '\n') {
            state = DONE;
            return false;
        }
        state = TRAILER_LINE;
        return countHead();
    }

    private boolean countHead() {
        return ++headBytes <= MAX_HEAD_BYTES || fail("the response head is too long");
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private boolean fail(String why) {
        problem = why;
        state = FAILED;
        return false;
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
