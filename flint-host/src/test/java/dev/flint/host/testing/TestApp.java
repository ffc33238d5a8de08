package dev.flint.host.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/** Writes a function app into a folder: host.json, function folders, handler files. */
public final class TestApp {

    private final Path root;

    private TestApp(Path root) {
        this.root = root;
    }

    public static TestApp in(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TestApp(directory);
    }

    public Path root() {
        return root;
    }

    /** host.json; single quotes in {@code json} stand for double quotes, to keep tests readable. */
    public TestApp hostJson(String json) {
        return file("host.json", json);
    }

    public TestApp localSettings(String json) {
        return file("local.settings.json", json);
    }

    public TestApp function(String name, String functionJson) {
        return file(name + "/function.json", functionJson);
    }

    /** An anonymous HTTP function with an http output named {@code res}. */
    public TestApp httpFunction(String name, String methodsJson) {
        return function(name, "{'bindings':[{'type':'httpTrigger','direction':'in','name':'req','authLevel':'anonymous',"
                + "'methods':" + methodsJson + "},{'type':'http','direction':'out','name':'res'}]}");
    }

    public TestApp file(String relative, String content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content.replace('\'', '"'));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file written verbatim (no quote replacement), made executable. */
    public TestApp script(String relative, String content) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            file.toFile().setExecutable(true);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a handler from the test resources' {@code handlers/} folder into the app. */
    public TestApp handler(String resourceName) {
        try (InputStream in = Objects.requireNonNull(TestApp.class.getResourceAsStream("/handlers/" + resourceName),
                resourceName)) {
            Files.copy(in, root.resolve(resourceName), StandardCopyOption.REPLACE_EXISTING);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
