package dev.flint.trace.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * The stackcollapse-perf.pl oracle cases: each perf input, the script's options, and the file in
 * {@code src/test/resources/collapse/} holding what the real script printed for them (see the
 * README there for the commands). Run through the real parser by {@link StackcollapseParserTest}.
 */
final class StackcollapseCases {

    private StackcollapseCases() {}

    record Case(String input, String expected, FoldedWriter.Options options, String warning) {
        @Override
        public String toString() {
            return input + " -> " + expected;
        }
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        for (String input : List.of("python-loop", "java-loop", "variants")) {
            String file = input.equals("variants") ? "variants.perf" : input;
            cases.add(new Case(file, input + ".folded", FoldedWriter.Options.DEFAULT, null));
            cases.add(new Case(file, input + ".pid.folded", names(CollapseNames.Options.DEFAULT.withPid()), null));
            cases.add(new Case(file, input + ".tid.folded", names(CollapseNames.Options.DEFAULT.withTid()), null));
            cases.add(new Case(file, input + ".all.folded", names(CollapseNames.Options.DEFAULT.withAll()), null));
        }
        cases.add(new Case("variants.perf", "variants.kernel.folded", names(CollapseNames.Options.DEFAULT.withKernel()), null));
        cases.add(new Case("variants.perf", "variants.jit.folded", names(CollapseNames.Options.DEFAULT.withJit()), null));
        String warning = FoldedWriter.FILTER_WARNING + "instructions:ppp";
        cases.add(new Case("variants-mixed-events.perf", "variants-mixed-events.folded", FoldedWriter.Options.DEFAULT,
                warning));
        cases.add(new Case("variants-mixed-events.perf", "variants-mixed-events.tid.folded",
                names(CollapseNames.Options.DEFAULT.withTid()), warning));
        cases.add(new Case("variants-mixed-events.perf", "variants-mixed-events.task-clock.folded",
                FoldedWriter.Options.DEFAULT.withEventFilter("task-clock:u"), null));
        cases.add(new Case("variants-untimed.perf", "variants-untimed.folded", FoldedWriter.Options.DEFAULT, null));
        cases.add(new Case("variants-untimed.perf", "variants-untimed.all.folded",
                names(CollapseNames.Options.DEFAULT.withAll()), null));
        return cases;
    }

    private static FoldedWriter.Options names(CollapseNames.Options names) {
        return FoldedWriter.Options.DEFAULT.withNames(names);
    }

    /** The perf text of an input: a collapse/ corpus file, or a traces/ fixture (gunzipped into {@code dir}). */
    static Path input(String name, Path dir) {
        try {
            if (name.endsWith(".perf")) {
                return resource("collapse/" + name);
            }
            if (name.equals("python-loop")) {
                return resource("traces/python-loop-200hz.perf");
            }
            Path out = dir.resolve("java-loop-200hz.perf");
            if (!Files.exists(out)) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(resource("traces/java-loop-200hz.perf.gz")))) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String expected(String name) throws IOException {
        return Files.readString(resource("collapse/" + name), StandardCharsets.UTF_8);
    }

    static Path resource(String name) {
        try {
            return Path.of(StackcollapseCases.class.getClassLoader().getResource(name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException("no test resource " + name, e);
        }
    }

    /** Collects warnings. */
    static final class Warnings implements Consumer<String> {
        final List<String> lines = new ArrayList<>();

        @Override
        public void accept(String s) {
            lines.add(s);
        }
    }
}
