package dev.flint.host.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses and validates an ASP.NET Core route template, following {@code RoutePatternParser}, so
 * that Flint accepts what Azure accepts and rejects it with a message that says what to fix and
 * where. One parser parses one template.
 */
final class TemplateParser {

    private static final String NAME_RULES = "names must be non-empty and cannot contain '/', '{', '}', '?' or '*';"
            + " '?' may only end a parameter (optional) and '*' only start one (catch-all)";

    private final String template;
    private final Map<String, Parameter> parameters = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private int position;

    private TemplateParser(String template) {
        this.template = template;
    }

    static List<Segment> parse(String template) {
        return new TemplateParser(template).parseTemplate();
    }

    private List<Segment> parseTemplate() {
        if (template.startsWith("~/")) {
            position = 2;
        } else if (template.startsWith("/")) {
            position = 1;
        } else if (template.startsWith("~")) {
            throw error(0, "a route may start with '~' only as '~/'");
        }
        List<Segment> segments = new ArrayList<>();
        while (position < template.length()) {
            if (template.charAt(position) == '/') {
                throw error(position, "empty segment: '/' at character " + (position + 1)
                        + " follows another '/'");
            }
            segments.add(parseSegment());
            position++; // the '/' after the segment, if any; a trailing '/' is allowed
        }
        checkCatchAllIsLast(segments);
        return segments;
    }

    private Segment parseSegment() {
        int start = position;
        List<Part> parts = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        while (position < template.length() && template.charAt(position) != '/') {
            positions.add(position);
            boolean parameter = template.charAt(position) == '{'
                    && !(position + 1 < template.length() && template.charAt(position + 1) == '{');
            parts.add(parameter ? parseParameter() : parseLiteral());
        }
        checkSegment(parts, positions);
        return new Segment(parts, start + 1);
    }

    private Literal parseLiteral() {
        int start = position;
        StringBuilder text = new StringBuilder();
        while (position < template.length()) {
            char c = template.charAt(position);
            if (c == '/') {
                break;
            }
            boolean doubled = position + 1 < template.length() && template.charAt(position + 1) == c;
            if (c == '{') {
                if (!doubled) {
                    break; // a parameter starts
                }
                position++;
            } else if (c == '}') {
                if (!doubled) {
                    throw error(position, "unmatched '}' at character " + (position + 1)
                            + "; write '}}' for a literal '}'");
                }
                position++;
            } else if (c == '?') {
                throw error(position, "'?' at character " + (position + 1) + " is not allowed in literal text"
                        + " (it only marks a parameter optional, as in {id?})");
            }
            text.append(c);
            position++;
        }
        if (text.isEmpty()) {
            throw new IllegalStateException("empty literal at " + start);
        }
        return new Literal(text.toString());
    }

    private Parameter parseParameter() {
        int open = position;
        position++;
        StringBuilder inside = new StringBuilder();
        while (true) {
            if (position >= template.length()) {
                throw error(open, "missing closing '}' for the parameter that starts at character " + (open + 1));
            }
            char c = template.charAt(position);
            boolean doubled = position + 1 < template.length() && template.charAt(position + 1) == c;
            if (c == '{') {
                if (position + 1 >= template.length()) {
                    throw error(open, "missing closing '}' for the parameter that starts at character " + (open + 1));
                }
                if (!doubled) {
                    throw error(position, "'{' at character " + (position + 1)
                            + " inside a parameter must be escaped as '{{'");
                }
                position++;
            } else if (c == '}') {
                if (!doubled) {
                    position++;
                    break;
                }
                position++;
            }
            inside.append(c);
            position++;
        }
        return parameter(inside.toString(), open);
    }

    private Parameter parameter(String inside, int open) {
        String where = " at character " + (open + 1);
        if (inside.startsWith("*") && inside.endsWith("?")) {
            throw error(open, "catch-all parameter {" + inside + "}" + where + " cannot be optional");
        }
        ParameterSyntax syntax = ParameterSyntax.parse(inside);
        String name = syntax.name();
        if (name.isEmpty() || name.chars().anyMatch(c -> "/{}?*".indexOf(c) >= 0)) {
            throw error(open, "invalid parameter name '" + name + "'" + where + ": " + NAME_RULES);
        }
        if (syntax.kind() == Parameter.Kind.OPTIONAL && syntax.defaultValue() != null) {
            throw error(open, "optional parameter '" + name + "'" + where + " cannot also have a default value");
        }
        if (parameters.containsKey(name)) {
            throw error(open, "parameter '" + name + "'" + where + " is already defined"
                    + " (parameter names are case-insensitive)");
        }
        List<RouteConstraint> constraints = new ArrayList<>();
        for (String constraint : syntax.constraints()) {
            try {
                constraints.add(RouteConstraints.resolve(constraint));
            } catch (InvalidConstraintException e) {
                throw error(open, e.getMessage() + ", in parameter '" + name + "'" + where);
            }
        }
        Parameter parameter = new Parameter(name, syntax.kind(), syntax.defaultValue(), constraints);
        parameters.put(name, parameter);
        return parameter;
    }

    /** ASP.NET's rules for a segment of several parts, such as {@code {name}.{ext?}}. */
    private void checkSegment(List<Part> parts, List<Integer> positions) {
        if (parts.size() < 2) {
            return;
        }
        for (int i = 0; i < parts.size(); i++) {
            if (!(parts.get(i) instanceof Parameter parameter)) {
                continue;
            }
            String where = " at character " + (positions.get(i) + 1);
            if (parameter.isCatchAll()) {
                throw error(positions.get(i), "catch-all parameter '" + parameter.name() + "'" + where
                        + " must be the whole segment, with no other text or parameter beside it");
            }
            if (i > 0 && parts.get(i - 1) instanceof Parameter previous) {
                throw error(positions.get(i), "parameters '" + previous.name() + "' and '" + parameter.name() + "'"
                        + where + " must be separated by literal text, or by '/'");
            }
            if (parameter.isOptional()) {
                if (i < parts.size() - 1) {
                    throw error(positions.get(i), "optional parameter '" + parameter.name() + "'" + where
                            + " must be the last part of its segment");
                }
                if (!(parts.get(i - 1) instanceof Literal literal) || !literal.text().equals(".")) {
                    throw error(positions.get(i), "optional parameter '" + parameter.name() + "'" + where
                            + " may only follow a '.' within a segment, as in {name}.{ext?}");
                }
            }
        }
    }

    private void checkCatchAllIsLast(List<Segment> segments) {
        for (int i = 0; i < segments.size() - 1; i++) {
            Parameter parameter = segments.get(i).parameter();
            if (parameter != null && parameter.isCatchAll()) {
                throw error(segments.get(i).position() - 1, "catch-all parameter '" + parameter.name()
                        + "' at character " + segments.get(i).position() + " must be in the last segment");
            }
        }
    }

    /**
     * An optional parameter may only be followed by segments a request can also leave out, so
     * that leaving it out never shifts a later segment into its place.
     */


    /** {@code index} is 0-based. */
    private RouteTemplateException error(int index, String problem) {
        return new RouteTemplateException(template, index + 1, problem);
    }
}
