package dev.flint.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a function app into a folder: host.json, local.settings.json, function folders, handler files. */
final class AppFolder {

    private final Path root;

    private AppFolder(Path root) {
        this.root = root;
    }

    static AppFolder in(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AppFolder(directory);
    }

    /**
     * The JSON-envelope "hello" app of {@code examples/hello/python}: host.json runs
     * {@code python3 handler.py}, which answers the function {@code hello} with {"msg":"hello world"}.
     */
    static AppFolder pythonHello(Path directory) {
        Path example = Repo.examples().resolve("hello/python");
        return in(directory)
                .copy(example.resolve("host.json"), "host.json")
                .copy(example.resolve("handler.py"), "handler.py")
                .copy(example.resolve("hello/function.json"), "hello/function.json");
    }

    Path root() {
        return root;
    }

    Path resolve(String relative) {
        return root.resolve(relative);
    }

    /** host.json; single quotes in {@code json} stand for double quotes, to keep tests readable. */
    AppFolder hostJson(String json) {
        return file("host.json", json);
    }

    AppFolder localSettings(String json) {
        return file("local.settings.json", json);
    }

    AppFolder function(String name, String functionJson) {
        return file(name + "/function.json", functionJson);
    }

    /** An anonymous HTTP function with an http output named {@code res}. */
    AppFolder httpFunction(String name, String methodsJson) {
        return function(name, "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'anonymous',"
                + "'methods':" + methodsJson + "},{'type':'http','direction':'out','name':'res'}]}");
    }

    /** A file whose single quotes are written as double quotes. */
    AppFolder file(String relative, String content) {
        return verbatim(relative, content.replace('\'', '"'));
    }

    AppFolder verbatim(String relative, String content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file written verbatim and made executable. */
    AppFolder script(String relative, String content) {
        verbatim(relative, content);
        if (!root.resolve(relative).toFile().setExecutable(true)) {
            throw new IllegalStateException("cannot make " + root.resolve(relative) + " executable");
        }
        return this;
    }

    AppFolder delete(String relative) {
        try {
            Files.delete(root.resolve(relative));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    AppFolder copy(Path from, String relative) {
        try {
            Path to = root.resolve(relative);
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
