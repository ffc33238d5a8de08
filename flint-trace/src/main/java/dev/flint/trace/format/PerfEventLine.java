package dev.flint.trace.format;

import static dev.flint.trace.format.TextBytes.allDigits;
import static dev.flint.trace.format.TextBytes.allHex;
import static dev.flint.trace.format.TextBytes.isBlank;
import static dev.flint.trace.format.TextBytes.isDigit;
import static dev.flint.trace.format.TextBytes.parseDecimal;
import static dev.flint.trace.format.TextBytes.skipBlanks;
import static dev.flint.trace.format.TextBytes.startsWith;
import static dev.flint.trace.format.TextBytes.tokenEnd;
import static dev.flint.trace.format.TextBytes.tokenStart;
import static dev.flint.trace.format.TextBytes.trimEnd;

import dev.flint.trace.model.SampleStore;

/**
 * One {@code perf script} event (sample) line, parsed in place: the fields are byte ranges of the
 * line and numbers, reset by each parse. Reused for every line of an input.
 *
 * <p>A timed line is anchored on its timestamp, the first token {@code digits.digits:} that is
 * followed by a blank or the end of the line: what comes before it is
 * {@code comm [pid/]tid [[cpu]] [yyyy-mm-dd hh:mm:ss.frac]}, read from the right, so that the
 * command name (up to 15 characters, which may contain spaces and digits) is whatever is left:
 * {@code FS Broker 5858  5791/5860  30171.917889:} is comm {@code FS Broker 5858}, pid 5791, tid
 * 5860. After it comes {@code [period] [event:] [rest]}, where the rest is a tracepoint's payload
 * or, without a callchain, the sample's IP, symbol and module. A line without a timestamp
 * ({@code java  3244 cpu-clock:}) is anchored on its event name instead, which must then end with
 * a colon.
 */
final class PerfEventLine {

    /** Seconds above this overflow a long of nanoseconds. */
    private static final long MAX_SECONDS = 9_000_000_000L;
    private static final int MAX_CPU = 1 << 20;

    int commStart;
    /** Equal to {@link #commStart} when the line has no command name. */
    int commEnd;
    int pid;
    int tid;
    int cpu;
    long time;
    /** -1 when the line has none. */
    long period;
    /** -1 when the line has none. */
    int eventStart;
    int eventEnd;
    /** The rest of the line after the event: a payload, or the IP frame when {@link #inlineIp}. */
    int restStart;
    int restEnd;
    boolean inlineIp;
    /** A {@code PERF_RECORD_*} line ({@code --show-mmap-events} and friends): not a sample. */
    boolean perfRecord;

    private void reset() {
        commStart = commEnd = 0;
        pid = tid = cpu = SampleStore.UNKNOWN;
        time = SampleStore.NO_TIME;
        period = -1;
        eventStart = eventEnd = -1;
        restStart = restEnd = 0;
        inlineIp = false;
        perfRecord = false;
    }

    /** Parses [from, to) as a timed event line; false if it is not one. */
    boolean parseTimed(byte[] b, int from, int to) {
        reset();
        int s = skipBlanks(b, from, to);
        int e = trimEnd(b, s, to);
        int colon = timestampColon(b, s, e);
        if (colon < 0) {
            return false;
        }
        int dot = colon - 1;
        while (isDigit(b[dot])) {
            dot--;
        }
        int timeStart = dot - 1;
        while (isDigit(b[timeStart])) {
            timeStart--;
        }
        timeStart++;
        long seconds = parseDecimal(b, timeStart, dot, MAX_SECONDS);
        if (seconds < 0 || !parseHead(b, s, trimEnd(b, s, timeStart), false)) {
            return false;
        }
        time = seconds * 1_000_000_000L + nanosOfFraction(b, dot + 1, colon);
        return parseTail(b, colon + 1, e);
    }

    /**
     * The colon of the first {@code digits.digits:} token in [s, e) that follows a blank and is
     * followed by a blank or the end; -1 if there is none.
     */
    private static int timestampColon(byte[] b, int s, int e) {
        for (int colon = indexOfColon(b, s, e); colon >= 0; colon = indexOfColon(b, colon + 1, e)) {
            if (colon + 1 < e && !isBlank(b[colon + 1])) {
                continue;
            }
            int dot = colon - 1;
            while (dot >= s && isDigit(b[dot])) {
                dot--;
            }
            if (dot == colon - 1 || dot <= s || b[dot] != '.') {
                continue;
            }
            int timeStart = dot - 1;
            while (timeStart >= s && isDigit(b[timeStart])) {
                timeStart--;
            }
            if (timeStart == dot - 1 || timeStart < s || !isBlank(b[timeStart])) {
                continue;
            }
            return colon;
        }
        return -1;
    }

    /** Parses [from, to) as an event line without a timestamp; false if it is not one. */
    boolean parseUntimed(byte[] b, int from, int to) {
        reset();
        int s = skipBlanks(b, from, to);
        int e = trimEnd(b, s, to);
        if (timestampColon(b, s, e) >= 0) {
            return false; // a line with a timestamp is timed or nothing: "burn 99999999999 1.0: 1 cpu-clock:"
        }
        int p = tokenEnd(b, s, e); // the first token is always part of the command name
        while (p < e) {
            int ts = skipBlanks(b, p, e);
            if (ts >= e) {
                break;
            }
            int te = tokenEnd(b, ts, e);
            boolean record = startsWith(b, ts, te, "PERF_RECORD_");
            if ((record || (!isDigit(b[ts]) && te - 1 > ts && b[te - 1] == ':'))
                    && parseHead(b, s, trimEnd(b, s, ts), true)) {
                if (record) {
                    perfRecord = true;
                    return true;
                }
                eventStart = ts;
                eventEnd = te - 1;
                setRest(b, skipBlanks(b, te, e), e);
                return true;
            }
            p = te;
        }
        return false;
    }

    /** Whether the line is an event line, timed or not. */
    boolean parseAny(byte[] b, int from, int to) {
        return parseTimed(b, from, to) || parseUntimed(b, from, to);
    }

    private static int indexOfColon(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == ':') {
                return i;
            }
        }
        return -1;
    }

    /** The fraction digits [from, to) as nanoseconds: 6 digits are µs, 9 ({@code --ns}) ns; more are cut. */
    private static long nanosOfFraction(byte[] b, int from, int to) {
        long v = 0;
        int digits = Math.min(9, to - from);
        for (int i = 0; i < digits; i++) {
            v = v * 10 + (b[from + i] - '0');
        }
        for (int i = digits; i < 9; i++) {
            v *= 10;
        }
        return v;
    }

    /**
     * {@code comm [pid/]tid [[cpu]] [tod]}, read from the right; with {@code period}, an untimed
     * line's period may end it. The command name may be empty only on a timed line (perf
     * {@code -F} without comm).
     */
    private boolean parseHead(byte[] b, int s, int end, boolean untimed) {
        if (untimed) {
            int ts = tokenStart(b, s, end);
            if (allDigits(b, ts, end) && parseHeadFields(b, s, trimEnd(b, s, ts), true)) {
                period = parseDecimal(b, ts, end, Long.MAX_VALUE);
                return period >= 0;
            }
        }
        return parseHeadFields(b, s, end, untimed);
    }

    private boolean parseHeadFields(byte[] b, int s, int end, boolean needComm) {
        int ts = tokenStart(b, s, end);
        if (ts >= end) {
            return false;
        }
        // -F +tod: "2026-11-26 15:34:46.085629" before the timestamp
        if (isClock(b, ts, end)) {
            int dateEnd = trimEnd(b, s, ts);
            int dateStart = tokenStart(b, s, dateEnd);
            if (isDate(b, dateStart, dateEnd)) {
                end = trimEnd(b, s, dateStart);
                ts = tokenStart(b, s, end);
            }
        }
        cpu = SampleStore.UNKNOWN;
        if (end - ts >= 3 && b[ts] == '[' && b[end - 1] == ']') {
            long c = parseDecimal(b, ts + 1, end - 1, MAX_CPU);
            if (c < 0) {
                return false;
            }
            cpu = (int) c;
            end = trimEnd(b, s, ts);
            ts = tokenStart(b, s, end);
        }
        if (ts >= end || !parseTid(b, ts, end)) {
            return false;
        }
        commStart = s;
        commEnd = trimEnd(b, s, ts);
        return !needComm || commEnd > commStart;
    }

    /** {@code tid} or {@code pid/tid}, each possibly -1. */
    private boolean parseTid(byte[] b, int from, int to) {
        int slash = -1;
        for (int i = from; i < to; i++) {
            if (b[i] == '/') {
                slash = i;
                break;
            }
        }
        if (slash < 0) {
            long t = parseSignedInt(b, from, to);
            if (t == Long.MIN_VALUE) {
                return false;
            }
            pid = SampleStore.UNKNOWN;
            tid = (int) t;
            return true;
        }
        long p = parseSignedInt(b, from, slash);
        long t = parseSignedInt(b, slash + 1, to);
        if (p == Long.MIN_VALUE || t == Long.MIN_VALUE) {
            return false;
        }
        pid = (int) p;
        tid = (int) t;
        return true;
    }

    private static long parseSignedInt(byte[] b, int from, int to) {
        boolean negative = from < to && b[from] == '-';
        long v = parseDecimal(b, negative ? from + 1 : from, to, Integer.MAX_VALUE);
        if (v < 0) {
            return Long.MIN_VALUE;
        }
        return negative ? -v : v;
    }

    /** {@code hh:mm:ss.frac} */
    private static boolean isClock(byte[] b, int from, int to) {
        return to - from >= 9 && isDigit(b[from]) && isDigit(b[from + 1]) && b[from + 2] == ':'
                && isDigit(b[from + 3]) && isDigit(b[from + 4]) && b[from + 5] == ':' && isDigit(b[from + 6])
                && isDigit(b[from + 7]) && b[from + 8] == '.' && allDigits(b, from + 9, to);
    }

    /** {@code yyyy-mm-dd} */
    private static boolean isDate(byte[] b, int from, int to) {
        return to - from == 10 && allDigits(b, from, from + 4) && b[from + 4] == '-' && allDigits(b, from + 5, from + 7)
                && b[from + 7] == '-' && allDigits(b, from + 8, to);
    }

    /**
     * What follows the timestamp's colon: {@code [period] [event:] [rest]}. A number is the period
     * when an event name, a {@code PERF_RECORD_} name, or an IP with its symbol follows it, or when
     * nothing does; otherwise it is the IP itself ({@code -F comm,tid,time,ip,sym}: "1141 leaf").
     */
    private boolean parseTail(byte[] b, int p, int e) {
        int cur = skipBlanks(b, p, e);
        if (cur >= e) {
            return true;
        }
        int t0End = tokenEnd(b, cur, e);
        if (allDigits(b, cur, t0End)) {
            int t1 = skipBlanks(b, t0End, e);
            boolean isPeriod;
            if (t1 >= e) {
                isPeriod = true;
            } else {
                int t1End = tokenEnd(b, t1, e);
                isPeriod = b[t1End - 1] == ':' || startsWith(b, t1, t1End, "PERF_RECORD_")
                        || (t1End == e && contains(b, t1, t1End, (byte) ':'))
                        || (allHex(b, t1, t1End) && skipBlanks(b, t1End, e) < e);
            }
            if (isPeriod) {
                period = parseDecimal(b, cur, t0End, Long.MAX_VALUE);
                if (period < 0) {
                    return false;
                }
                cur = t1;
            }
        }
        if (cur < e) {
            int te = tokenEnd(b, cur, e);
            if (startsWith(b, cur, te, "PERF_RECORD_")) {
                perfRecord = true;
                return true;
            }
            if (!isDigit(b[cur])) {
                if (te - 1 > cur && b[te - 1] == ':') {
                    eventStart = cur;
                    eventEnd = te - 1;
                    cur = skipBlanks(b, te, e);
                } else if (te == e && contains(b, cur, te, (byte) ':')) {
                    eventStart = cur; // "33 cycles:uppp", seen without the final colon
                    eventEnd = te;
                    cur = e;
                }
            }
        }
        setRest(b, cur, e);
        // text after the time that is neither an event (with its payload) nor an IP: not perf's
        return restStart >= restEnd || inlineIp || eventStart >= 0;
    }

    private void setRest(byte[] b, int from, int to) {
        restStart = from;
        restEnd = to;
        if (from < to) {
            int te = tokenEnd(b, from, to);
            inlineIp = te - from <= 16 && allHex(b, from, te);
        }
    }

    private static boolean contains(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return true;
            }
        }
        return false;
    }
}
