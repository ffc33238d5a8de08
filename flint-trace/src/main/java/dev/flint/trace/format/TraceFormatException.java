package dev.flint.trace.format;

/**
 * An input that is not a trace in any format Flint reads, or a line that breaks its format: says
 * which source, which line (1-based; 0 when the problem is not on one line) and what the line was,
 * shortened.
 */
public final class TraceFormatException extends Exception {

    private static final int MAX_LINE_SHOWN = 200;

    private final String source;
    private final long lineNumber;
    private final String line;
    private final boolean noSamples;

    public TraceFormatException(String source, long lineNumber, String line, String problem) {
        this(source, lineNumber, line, problem, false);
    }

    private TraceFormatException(String source, long lineNumber, String line, String problem, boolean noSamples) {
        super(message(source, lineNumber, line, problem));
        this.source = source;
        this.lineNumber = lineNumber;
        this.line = line;
        this.noSamples = noSamples;
    }

    /**
     * A well-formed input that holds no sample (a perf script header and nothing else: what perf
     * writes for a process that did not run), told apart so that a recorder can say "idle".
     */
    static TraceFormatException noSamples(String source, String problem) {
        return new TraceFormatException(source, 0, null, problem, true);
    }

    /** Whether the input was well formed but held no sample. */
    public boolean noSamples() {
        return noSamples;
    }

    public String source() {
        return source;
    }

    /** 1-based; 0 when the problem is the input as a whole. */
    public long lineNumber() {
        return lineNumber;
    }

    /** The offending line, or null. */
    public String line() {
        return line;
    }

    private static String message(String source, long lineNumber, String line, String problem) {
        StringBuilder m = new StringBuilder(source);
        if (lineNumber > 0) {
            m.append(':').append(lineNumber);
        }
        m.append(": ").append(problem);
        if (line != null) {
            String shown = line.length() > MAX_LINE_SHOWN ? line.substring(0, MAX_LINE_SHOWN) + "..." : line;
            m.append(": \"").append(shown.replace("\t", "\\t").replace("\r", "\\r")).append('"');
        }
        return m.toString();
    }
}
