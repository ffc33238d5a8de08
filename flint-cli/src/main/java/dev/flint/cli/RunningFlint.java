package dev.flint.cli;

import dev.flint.host.RunningHostFile;
import dev.flint.host.app.AppConfigException;
import dev.flint.host.app.AppLoader;
import dev.flint.host.app.FunctionApp;
import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.auth.AccessKey;
import dev.flint.host.auth.KeyStore;
import dev.flint.host.auth.KeyStoreException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An app's running Flint, as the commands that talk to it ({@code flint profile}, {@code flint bench})
 * find it: the app (loaded once, when first needed), where that Flint listens, and its master key.
 */
final class RunningFlint {

    private final Path appDirectory;
    private final Map<String, String> environment;
    private FunctionApp loaded;
    private Optional<String> masterKey;

    RunningFlint(Path appDirectory, Map<String, String> environment) {
        this.appDirectory = appDirectory;
        this.environment = environment;
    }

    FunctionApp app() {
        if (loaded == null) {
            try {
                loaded = AppLoader.load(appDirectory, environment);
            } catch (AppConfigException e) {
                throw new UserError("the app in " + appDirectory.toAbsolutePath().normalize() + " cannot be read: "
                        + e.problems().get(0));
            }
        }
        return loaded;
    }

    /** Whether the app has been read (a function was named, or its Flint asked for). */
    boolean appLoaded() {
        return loaded != null;
    }

    /** The app's data directory (keys, traces, stored runs); the app is not read for it. */
    Path dataDirectory() {
        Path root = loaded != null ? loaded.root() : appDirectory.toAbsolutePath().normalize();
        return KeyStore.dataDirectory(root, environment);
    }

    /**
     * Where the app's Flint listens: the URL it wrote in its data directory ({@code running.json}),
     * else {@code http://<address>:<port>}, the port from local.settings.json ({@code Host.LocalHttpPort},
     * else 7071), the address too when it names one host, else 127.0.0.1.
     */
    String baseUrl() {
        Optional<String> running = RunningHostFile.url(KeyStore.dataDirectory(app().root(), environment));
        if (running.isPresent()) {
            return running.get();
        }
        String address = app().settings().localHttpAddress().map(String::trim)
                .filter(a -> !a.isEmpty() && !List.of("0.0.0.0", "::", "[::]", "*", "+").contains(a))
                .map(a -> a.contains(":") && !a.startsWith("[") ? "[" + a + "]" : a)
                .orElse("127.0.0.1");
        return "http://" + address + ":" + app().settings().localHttpPort().orElse(7071);
    }

    /** The app's master key, read from its key store (created as the host would when missing). */
    Optional<String> masterKey() {
        if (masterKey == null) {
            FunctionApp app = app();
            try (KeyStore keys = KeyStore.open(KeyStore.dataDirectory(app.root(), environment), environment,
                    app.functions().stream().map(FunctionDefinition::name).toList())) {
                masterKey = keys.current().master().map(AccessKey::value);
            } catch (KeyStoreException e) {
                throw new UserError("cannot read the keys of the app in " + app.root() + ": " + e.getMessage());
            }
        }
        return masterKey;
    }

    /**
     * {@code POST <base>/admin/functions/{function}/profile?seconds=N[&frequency=F]} (or
     * {@code /admin/host/profile} when {@code function} is null) with the master key; Flint answers
     * when the window is over, so the timeout is the window and a minute.
     */
    HttpRequest.Builder profileRequest(String base, String function, long seconds, Integer frequency) {
        String endpoint = function == null ? "/admin/host/profile"
                : "/admin/functions/" + URLEncoder.encode(function, StandardCharsets.UTF_8) + "/profile";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + endpoint + "?seconds=" + seconds
                        + (frequency == null ? "" : "&frequency=" + frequency)))
                .timeout(Duration.ofSeconds(seconds + 60)).POST(HttpRequest.BodyPublishers.noBody());
        masterKey().ifPresent(key -> request.header("x-functions-key", key));
        return request;
    }
}
