package dev.flint.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Text with varying fields, for the URL and the body of a request. A field is written between
 * double braces:
 *
 * <ul>
 *   <li>{@code {{random:MIN:MAX}}}: a number drawn uniformly from MIN to MAX, both included; a whole
 *       number when both bounds are, else a decimal with as many decimals as the bound that has the
 *       most ({@code {{random:0.5:10.00}}} gives e.g. {@code 3.14});
 *   <li>{@code {{seq}}} or {@code {{seq:START}}}: the variant's number, counting from 0 (or START);
 *   <li>{@code {{pick:A|B|C}}}: one of the words, drawn uniformly.
 * </ul>
 *
 * <p>Anything else between double braces is refused. The load generator renders a fixed pool of
 * variants before the run (so that no request is encoded while measuring) and cycles through it.
 */
public final class Template {

    private sealed interface Part permits Literal, Sequence, IntRange, DecimalRange, Pick {}

    private record Literal(String text) implements Part {}

    private record Sequence(long start) implements Part {}

    private record IntRange(long min, long max) implements Part {}

    private record DecimalRange(double min, double max, int decimals) implements Part {}

    private record Pick(List<String> words) implements Part {}

    private final String text;
    private final List<Part> parts;

    private Template(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming a field it does not know. */
    public static Template parse(String text) {
        List<Part> parts = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = text.indexOf("{{", from);
            if (open < 0) {
                break;
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("a template field \"" + shorten(text.substring(open))
                        + "\" has no closing }}");
            }
            if (open > from) {
                parts.add(new Literal(text.substring(from, open)));
            }
            parts.add(field(text.substring(open + 2, close).trim()));
            from = close + 2;
        }
        if (from < text.length()) {
            parts.add(new Literal(text.substring(from)));
        }
        return new Template(text, parts);
    }

    /** True when the text has at least one field, so that its variants differ. */
    public boolean varies() {
        return parts.stream().anyMatch(p -> !(p instanceof Literal));
    }

    /** The text as given, fields included. */
    public String text() {
        return text;
    }

    /** Variant number {@code index}: its fields filled in, random ones drawn from {@code random}. */
    public String render(long index, RandomGenerator random) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (Part part : parts) {
            switch (part) {
                case Literal l -> out.append(l.text());
                case Sequence s -> out.append(s.start() + index);
                case IntRange r -> out.append(r.min() == r.max() ? r.min() : random.nextLong(r.min(), r.max() + 1));
                case DecimalRange r -> out.append(String.format(Locale.ROOT, "%." + r.decimals() + "f",
                        r.min() == r.max() ? r.min() : r.min() + random.nextDouble() * (r.max() - r.min())));
                case Pick p -> out.append(p.words().get(random.nextInt(p.words().size())));
            }
        }
        return out.toString();
    }

    private static Part field(String spec) {
        String[] pieces = spec.split(":", -1);
        switch (pieces[0]) {
            case "seq" -> {
                if (pieces.length == 1) {
                    return new Sequence(0);
                }
                if (pieces.length == 2) {
                    return new Sequence(whole(pieces[1], spec));
                }
            }
            case "random" -> {
                if (pieces.length == 3) {
                    return range(pieces[1].trim(), pieces[2].trim(), spec);
                }
            }
            case "pick" -> {
                if (pieces.length >= 2) {
                    List<String> words = List.of(spec.substring(5).split("\\|", -1));
                    return new Pick(words);
                }
            }
            default -> {
                // refused below
            }
        }
        throw new IllegalArgumentException("unknown template field {{" + spec + "}} (known: {{random:MIN:MAX}},"
                + " {{seq}}, {{seq:START}}, {{pick:A|B|C}})");
    }

    private static Part range(String min, String max, String spec) {
        if (isWhole(min) && isWhole(max)) {
            long lo = whole(min, spec);
            long hi = whole(max, spec);
            if (lo > hi) {
                throw new IllegalArgumentException("{{" + spec + "}}: MIN is greater than MAX");
            }
            return new IntRange(lo, hi);
        }
        double lo;
        double hi;
        try {
            lo = Double.parseDouble(min);
            hi = Double.parseDouble(max);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("{{" + spec + "}}: MIN and MAX must be numbers");
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
            throw new IllegalArgumentException("{{" + spec + "}}: MIN and MAX must be finite numbers, MIN at most MAX");
        }
        return new DecimalRange(lo, hi, Math.max(1, Math.max(decimals(min), decimals(max))));
    }

    private static boolean isWhole(String s) {
        return s.matches("-?\\d{1,18}");
    }

    private static long whole(String s, String spec) {
        if (!isWhole(s.trim())) {
            throw new IllegalArgumentException("{{" + spec + "}}: \"" + s + "\" is not a whole number");
        }
        return Long.parseLong(s.trim());
    }

    private static int decimals(String number) {
        int dot = number.indexOf('.');
        if (dot < 0) {
            return 0;
        }
        int end = dot + 1;
        while (end < number.length() && Character.isDigit(number.charAt(end))) {
            end++;
        }
        return Math.min(12, end - dot - 1);
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
