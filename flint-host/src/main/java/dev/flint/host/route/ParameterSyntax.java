package dev.flint.host.route;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the text between a parameter's braces, such as {@code *path}, {@code id:int:min(1)?} or
 * {@code name=home}, into name, kind, constraint texts and default value. This follows ASP.NET
 * Core's {@code RouteParameterParser}, quirks included, so that a template means the same in
 * Flint as in Azure: everything after {@code =} is the default value, and a {@code )} ends a
 * constraint's arguments only when it is followed by {@code :}, {@code =} or the end, which
 * lets a regex contain parentheses, colons and commas.
 *
 * @param name         the name, possibly invalid; the parser validates it
 * @param kind         standard, optional ({@code ?} at the end) or catch-all ({@code *} or {@code **} at the start)
 * @param constraints  the constraint texts, such as {@code min(1)}
 * @param defaultValue the text after {@code =}, or {@code null}
 */
record ParameterSyntax(String name, Parameter.Kind kind, List<String> constraints, String defaultValue) {

    private enum State { START, NAME, ARGUMENTS, END }

    /** {@code text} is the parameter with braces removed and {@code {{ }}} unescaped. */
    static ParameterSyntax parse(String text) {
        int start = 0;
        int end = text.length() - 1; // inclusive
        Parameter.Kind kind = Parameter.Kind.STANDARD;
        if (text.startsWith("**")) {
            kind = Parameter.Kind.CATCH_ALL;
            start = 2;
        } else if (text.startsWith("*")) {
            kind = Parameter.Kind.CATCH_ALL;
            start = 1;
        }
        if (end >= 0 && text.charAt(end) == '?') {
            kind = Parameter.Kind.OPTIONAL;
            end--;
        }
        // A name ends at the first ':' or '=' that is not its first character.
        int nameEnd = start;
        while (nameEnd <= end && !(nameEnd > start && (text.charAt(nameEnd) == ':' || text.charAt(nameEnd) == '='))) {
            nameEnd++;
        }
        String name = nameEnd > start ? text.substring(start, nameEnd) : "";

        List<String> constraints = new ArrayList<>();
        int position = parseConstraints(text, nameEnd, end, constraints);
        String defaultValue = position <= end && text.charAt(position) == '=' ? text.substring(position + 1, end + 1) : null;
        return new ParameterSyntax(name, kind, List.copyOf(constraints), defaultValue);
    }

    /**
     * Reads {@code :constraint} parts from {@code position} (ASP.NET's {@code ParseConstraints}
     * state machine) and returns where it stopped: at {@code =} or past {@code end}.
     */
    private static int parseConstraints(String text, int position, int end, List<String> constraints) {
        State state = State.START;
        int constraintStart = position;
        int i = position;
        do {
            int c = i > end ? -1 : text.charAt(i);
            switch (state) {
                case START -> {
                    if (c == -1) {
                        state = State.END;
                    } else if (c == ':') {
                        state = State.NAME;
                        constraintStart = i + 1;
                    } else if (c == '(') {
                        state = State.ARGUMENTS;
                    } else if (c == '=') {
                        state = State.END;
                        i--;
                    }
                }
                case NAME -> {
                    if (c == -1 || c == ':' || c == '=') {
                        addIfNotEmpty(constraints, text.substring(constraintStart, Math.min(i, end + 1)));
                        if (c == ':') {
                            constraintStart = i + 1;
                        } else {
                            state = State.END;
                            if (c == '=') {
                                i--;
                            }
                        }
                    } else if (c == '(') {
                        state = State.ARGUMENTS;
                    }
                }
                case ARGUMENTS -> {
                    if (c == -1) {
                        state = State.END;
                        constraints.add(text.substring(constraintStart, end + 1));
                    } else if (c == ')') {
                        int next = i + 1 > end ? -1 : text.charAt(i + 1);
                        if (next == -1 || next == ':' || next == '=') {
                            constraints.add(text.substring(constraintStart, i + 1));
                            if (next == ':') {
                                state = State.START;
                                constraintStart = i + 1;
                            } else {
                                state = State.END;
                            }
                        }
                    } else if (c == ':' || c == '=') {
                        // Inside parentheses, ':' and '=' belong to the argument if a ')' follows.
                        int close = text.indexOf(')', i + 1);
                        if (close < 0) {
                            constraints.add(text.substring(constraintStart, i));
                            if (c == ':') {
                                state = State.NAME;
                                constraintStart = i + 1;
                            } else {
                                state = State.END;
                                i--;
                            }
                        } else {
                            i = close - 1;
                        }
                    }
                }
                case END -> throw new IllegalStateException();
            }
            i++;
        } while (state != State.END);
        return i;
    }

    private static void addIfNotEmpty(List<String> constraints, String constraint) {
        if (!constraint.isEmpty()) {
            constraints.add(constraint);
        }
    }
}
