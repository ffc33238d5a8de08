package dev.flint.bench.report;

import java.io.IOException;

/**
 * A JSON report {@link JsonReport#read} cannot take: not JSON, another schema, or a field that is
 * missing or wrong. The message starts with the field's path, as in
 * {@code targets[1].histogram: not base64}; {@link #field()} gives the path alone ({@code $} for the
 * document as a whole).
 */
public final class ReportFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public ReportFormatException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public ReportFormatException(String field, String problem, Throwable cause) {
        super(field + ": " + problem, cause);
        this.field = field;
    }

    /** The path of the field at fault, such as {@code settings.mode} or {@code targets[0].statuses["abc"]}. */
    public String field() {
        return field;
    }
}
