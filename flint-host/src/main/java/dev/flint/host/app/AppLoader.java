package dev.flint.host.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads a function app folder: host.json, local.settings.json and every {@code <name>/function.json}.
 * Nothing starts until this returns; every problem found is reported at once in an
 * {@link AppConfigException}, each naming its file, JSON path and what was expected.
 *
 * <p>A pure function of the folder and the environment it is given.
 */
public final class AppLoader {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.ALLOW_COMMENTS) // the Azure host reads host.json with comments allowed
            .enable(JsonParser.Feature.ALLOW_TRAILING_COMMA)
            .build();

    /** Azure's FunctionNameValidationRegex (src/WebJobs.Script/Utility.cs). */
    private static final java.util.regex.Pattern FUNCTION_NAME =
            java.util.regex.Pattern.compile("^[a-z][a-z0-9_\\-]{0,127}$", java.util.regex.Pattern.CASE_INSENSITIVE);

    /** Azure's binding-name rule; {@code $return} is allowed besides. */
    private static final java.util.regex.Pattern BINDING_NAME =
            java.util.regex.Pattern.compile("^[a-zA-Z][a-zA-Z0-9]{0,127}$");

    /** Bindings Flint runs today. */
    private static final Set<String> SUPPORTED_TYPES = Set.of("httptrigger", "http");

    /** Bindings Azure knows and a later Flint release will run; a function using one is listed as unsupported. */
    private static final Set<String> KNOWN_TYPES = Set.of(
            "httptrigger", "http", "timertrigger", "queuetrigger", "queue", "blobtrigger", "blob",
            "servicebustrigger", "servicebus", "eventhubtrigger", "eventhub", "eventgridtrigger", "eventgrid",
            "cosmosdbtrigger", "cosmosdb", "table", "signalr", "signalrconnectioninfo", "signalrtrigger",
            "sendgrid", "twiliosms", "kafkatrigger", "kafka", "rabbitmqtrigger", "rabbitmq",
            "sqltrigger", "sql", "durableclient", "orchestrationtrigger", "activitytrigger", "entitytrigger",
            "daprservicinvocationtrigger", "mcptooltrigger", "warmuptrigger");

    private static final Set<String> HOST_KEYS = Set.of(
            "version", "customHandler", "httpWorker", "functionTimeout", "extensions", "logging", "extensionBundle",
            "retry", "functions", "watchDirectories", "watchFiles", "healthMonitor", "singleton", "managedDependency",
            "aggregator", "concurrency", "telemetryMode", "flint", "profiling");

    private AppLoader() {}

    /**
     * Loads the app at {@code root}.
     *
     * @param environment the host's environment; local.settings.json values are added to it for
     *                    {@code AzureWebJobs.<name>.Disabled}
     */
    public static FunctionApp load(Path root, Map<String, String> environment) throws AppConfigException {
        Diagnostics diagnostics = new Diagnostics();
        Path appRoot = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(appRoot)) {
            throw new AppConfigException(List.of(new ConfigProblem(appRoot, "",
                    "is not a directory; expected a function app folder with a host.json")));
        }
        LocalSettings settings = readLocalSettings(appRoot.resolve("local.settings.json"), diagnostics);
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(settings.values());

        HostConfig host = readHost(appRoot.resolve("host.json"), diagnostics);
        HttpMode pureHttpMode = host == null ? HttpMode.ENVELOPE : host.pureHttpMode();
        List<FunctionDefinition> functions = readFunctions(appRoot, env, pureHttpMode, diagnostics);
        if (host != null && host.functionsAllowList().isPresent()) {
            functions = applyAllowList(functions, host.functionsAllowList().get(), appRoot.resolve("host.json"), diagnostics);
        }
        if (!diagnostics.errors().isEmpty()) {
            throw new AppConfigException(diagnostics.errors());
        }
        return new FunctionApp(appRoot, host, settings, functions, diagnostics.warnings());
    }

    /** host.json {@code functions}: only the functions named there are loaded (case-insensitive). */
    private static List<FunctionDefinition> applyAllowList(List<FunctionDefinition> functions, List<String> allowed,
                                                           Path hostJson, Diagnostics diagnostics) {
        Set<String> wanted = new java.util.HashSet<>();
        allowed.forEach(name -> wanted.add(name.toLowerCase(Locale.ROOT)));
        for (String name : allowed) {
            if (functions.stream().noneMatch(f -> f.name().equalsIgnoreCase(name))) {
                diagnostics.warn(new ConfigProblem(hostJson, "$.functions",
                        "names \"" + name + "\", but the app has no such function"));
            }
        }
        return functions.stream().filter(f -> wanted.contains(f.name().toLowerCase(Locale.ROOT))).toList();
    }

    private static Optional<JsonNode> readJson(Path file, boolean required, Diagnostics diagnostics) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            JsonNode node = JSON.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                diagnostics.error(new ConfigProblem(file, "$", "is empty; expected a JSON object"));
                return Optional.empty();
            }
            if (!node.isObject()) {
                diagnostics.error(new ConfigProblem(file, "$", "expected a JSON object, found " + ConfigNode.describe(node)));
                return Optional.empty();
            }
            return Optional.of(node);
        } catch (NoSuchFileException e) {
            if (required) {
                diagnostics.error(new ConfigProblem(file, "", "is missing"));
            }
            return Optional.empty();
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? "" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
            diagnostics.error(new ConfigProblem(file, where, "is not valid JSON: " + e.getOriginalMessage()));
            return Optional.empty();
        } catch (IOException e) {
            diagnostics.error(new ConfigProblem(file, "", "cannot be read: " + e.getMessage()));
            return Optional.empty();
        }
    }

    // ---- host.json

    private static HostConfig readHost(Path file, Diagnostics diagnostics) {
        Optional<JsonNode> json = readJson(file, true, diagnostics);
        if (json.isEmpty()) {
            return null;
        }
        ConfigNode root = ConfigNode.root(file, json.get(), diagnostics);
        root.warnUnknownKeys(HOST_KEYS, "host.json");

        String version = root.string("version").orElse(null);
        if (version == null) {
            root.problemAt("$.version", "is required: expected \"2.0\"");
        } else if (!version.equals("2.0")) {
            root.problemAt("$.version", "expected \"2.0\" (the schema of Functions runtime 2.x and later), found \"" + version + "\"");
        }

        Optional<ConfigNode> customHandler = root.object("customHandler");
        Optional<ConfigNode> httpWorker = root.object("httpWorker");
        if (customHandler.isPresent() && httpWorker.isPresent()) {
            httpWorker.get().warn("both customHandler and the legacy httpWorker are present; customHandler is used");
        }
        boolean legacy = customHandler.isEmpty() && httpWorker.isPresent();
        ConfigNode section = customHandler.or(() -> httpWorker).orElse(null);
        HandlerDescription description = null;
        boolean forwarding = false;
        boolean proxying = false;
        Optional<Integer> port = Optional.empty();
        if (section == null) {
            root.problemAt("$.customHandler", "is required: expected {\"description\": {\"defaultExecutablePath\": \"...\"}}"
                    + " (Flint runs custom-handler apps)");
        } else {
            section.warnUnknownKeys(Set.of("description", "enableForwardingHttpRequest", "enableProxyingHttpRequest",
                    "port", "type", "http"), section.path().substring(2));
            description = readDescription(section, diagnostics);
            forwarding = section.bool("enableForwardingHttpRequest").orElse(false);
            proxying = section.bool("enableProxyingHttpRequest").orElse(false);
            port = section.integer("port");
            port.filter(p -> p < 1 || p > 65535).ifPresent(p -> section.problemAt(section.childPath("port"),
                    "expected a TCP port between 1 and 65535, found " + p));
        }

        Optional<Duration> functionTimeout = Optional.of(HostConfig.DEFAULT_FUNCTION_TIMEOUT);
        Optional<String> timeoutText = root.string("functionTimeout");
        if (timeoutText.isPresent()) {
            functionTimeout = readTimeout(root, "functionTimeout", timeoutText.get(), true);
        }

        Duration startupTimeout = HostConfig.DEFAULT_STARTUP_TIMEOUT;
        Optional<ConfigNode> flint = root.object("flint");
        if (flint.isPresent()) {
            flint.get().warnUnknownKeys(Set.of("handlerStartupTimeout"), "flint");
            Optional<String> text = flint.get().string("handlerStartupTimeout");
            if (text.isPresent()) {
                startupTimeout = readTimeout(flint.get(), "handlerStartupTimeout", text.get(), false)
                        .orElse(HostConfig.DEFAULT_STARTUP_TIMEOUT);
            }
        }

        String routePrefix = "api";
        HostConfig.HttpLimits httpLimits = HostConfig.HttpLimits.UNBOUNDED;
        Optional<ConfigNode> http = root.object("extensions").flatMap(e -> e.object("http"));
        if (http.isPresent()) {
            ConfigNode h = http.get();
            h.warnUnknownKeys(Set.of("routePrefix", "maxConcurrentRequests", "maxOutstandingRequests",
                    "dynamicThrottlesEnabled", "enableChunkedRequestBinding", "hsts", "customHeaders"), "extensions.http");
            routePrefix = trimSlashes(h.string("routePrefix").orElse("api"));
            httpLimits = new HostConfig.HttpLimits(requestLimit(h, "maxConcurrentRequests"),
                    requestLimit(h, "maxOutstandingRequests"));
            if (h.bool("dynamicThrottlesEnabled").orElse(false)) {
                h.warn("dynamicThrottlesEnabled is not implemented by Flint; the fixed limits apply");
            }
        }

        Map<String, String> logLevels = new LinkedHashMap<>();
        root.object("logging").flatMap(l -> l.object("logLevel")).ifPresent(levels ->
                levels.json().fields().forEachRemaining(field -> {
                    String level = field.getValue().asText();
                    if (!LogLevels.isValid(level)) {
                        levels.problemAt(levels.childPath(field.getKey()), "expected a log level (Trace, Debug, "
                                + "Information, Warning, Error, Critical or None), found \"" + level + "\"");
                    } else {
                        logLevels.put(field.getKey(), level);
                    }
                }));

        Optional<HostConfig.ExtensionBundle> bundle = root.object("extensionBundle").map(b -> {
            b.warnUnknownKeys(Set.of("id", "version"), "extensionBundle");
            return new HostConfig.ExtensionBundle(
                    b.requiredString("id", "the bundle id, e.g. \"Microsoft.Azure.Functions.ExtensionBundle\""),
                    b.requiredString("version", "a version range, e.g. \"[4.*, 5.0.0)\""));
        });

        List<String> profilingProblems = new ArrayList<>();
        dev.flint.host.profile.ProfilingSettings profiling = dev.flint.host.profile.ProfilingSettings.parse(
                root.child("profiling").map(ConfigNode::json).orElse(null), file, profilingProblems);
        String prefix = file + ": ";
        for (String problem : profilingProblems) {
            String text = problem.startsWith(prefix) ? problem.substring(prefix.length()) : problem;
            int colon = text.indexOf(": ");
            diagnostics.error(colon > 0 && text.startsWith("$")
                    ? new ConfigProblem(file, text.substring(0, colon), text.substring(colon + 2))
                    : new ConfigProblem(file, "$.profiling", text));
        }
        List<String> allowList = root.strings("functions");
        return new HostConfig(version, description, legacy, forwarding, proxying, port, functionTimeout,
                startupTimeout, routePrefix, logLevels, bundle, allowList.isEmpty() ? Optional.empty() : Optional.of(allowList),
                httpLimits, profiling);
    }

    /** {@code maxConcurrentRequests} or {@code maxOutstandingRequests}: a positive count, or -1 for none. */
    private static int requestLimit(ConfigNode http, String key) {
        Optional<Integer> value = http.integer(key);
        if (value.isPresent() && value.get() != -1 && value.get() < 1) {
            http.problemAt(http.childPath(key), "expected a positive number of requests, or -1 for no limit, found "
                    + value.get());
            return -1;
        }
        return value.orElse(-1);
    }

    private static Optional<Duration> readTimeout(ConfigNode parent, String key, String text, boolean allowUnlimited) {
        String path = parent.childPath(key);
        if (allowUnlimited && text.trim().equals("-1")) {
            return Optional.empty();
        }
        Optional<Duration> parsed = FunctionTimeouts.parseTimeSpan(text);
        if (parsed.isEmpty()) {
            parent.problemAt(path, "expected a timespan \"hh:mm:ss\"" + (allowUnlimited ? " or -1 for no limit" : "")
                    + ", found \"" + text + "\"");
            return allowUnlimited ? Optional.of(HostConfig.DEFAULT_FUNCTION_TIMEOUT) : Optional.empty();
        }
        if (parsed.get().compareTo(Duration.ofSeconds(1)) < 0) {
            parent.problemAt(path, "must be at least 00:00:01, found \"" + text + "\"");
        }
        return parsed;
    }

    private static HandlerDescription readDescription(ConfigNode section, Diagnostics diagnostics) {
        Optional<ConfigNode> description = section.object("description");
        if (description.isEmpty()) {
            section.problemAt(section.childPath("description"),
                    "is required: expected {\"defaultExecutablePath\": \"<handler program>\"}");
            return null;
        }
        ConfigNode d = description.get();
        d.warnUnknownKeys(Set.of("defaultExecutablePath", "arguments", "defaultWorkerPath", "workerArguments",
                "workingDirectory", "workerDirectory", "language", "extensions"), "customHandler.description");
        String executable = d.requiredString("defaultExecutablePath",
                "the handler program, a path relative to the app root or a command on PATH");
        return new HandlerDescription(executable, d.strings("arguments"), d.string("defaultWorkerPath").orElse(null),
                d.strings("workerArguments"), d.string("workingDirectory").orElse(""), d.string("workerDirectory").orElse(""));
    }

    private static String trimSlashes(String prefix) {
        String p = prefix.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    // ---- local.settings.json

    private static LocalSettings readLocalSettings(Path file, Diagnostics diagnostics) {
        Optional<JsonNode> json = readJson(file, false, diagnostics);
        if (json.isEmpty()) {
            return LocalSettings.EMPTY;
        }
        ConfigNode root = ConfigNode.root(file, json.get(), diagnostics);
        root.warnUnknownKeys(Set.of("IsEncrypted", "Values", "Host", "ConnectionStrings"), "local.settings.json");
        if (root.bool("IsEncrypted").orElse(false)) {
            root.problemAt("$.IsEncrypted", "is true; Flint cannot read encrypted settings (run `func settings decrypt` first)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        root.object("Values").ifPresent(v -> v.json().fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isObject() || value.isArray()) {
                v.problemAt(v.childPath(field.getKey()), "expected a string, found " + ConfigNode.describe(value));
            } else {
                values.put(field.getKey(), value.isNull() ? "" : value.asText());
            }
        }));
        Map<String, String> connections = new LinkedHashMap<>();
        root.object("ConnectionStrings").ifPresent(c -> c.json().fields()
                .forEachRemaining(field -> connections.put(field.getKey(), field.getValue().asText())));
        Optional<ConfigNode> host = root.object("Host");
        Optional<Integer> port = host.flatMap(h -> h.integer("LocalHttpPort"));
        host.ifPresent(h -> port.filter(p -> p < 0 || p > 65535).ifPresent(p ->
                h.problemAt("$.Host.LocalHttpPort", "expected a TCP port between 0 and 65535, found " + p)));
        Optional<String> address = host.flatMap(h -> h.string("LocalHttpAddress"));
        List<String> cors = host.flatMap(h -> h.string("CORS"))
                .map(s -> Stream.of(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList())
                .orElse(List.of());
        boolean corsCredentials = host.flatMap(h -> h.bool("CORSCredentials")).orElse(false);
        host.ifPresent(h -> h.warnUnknownKeys(Set.of("LocalHttpPort", "LocalHttpAddress", "CORS", "CORSCredentials"),
                "local.settings.json Host"));
        return new LocalSettings(values, port, address, cors, corsCredentials, connections);
    }

    // ---- */function.json

    private static List<FunctionDefinition> readFunctions(Path root, Map<String, String> env, HttpMode pureHttpMode,
                                                          Diagnostics diagnostics) {
        List<Path> folders;
        try (Stream<Path> children = Files.list(root)) {
            folders = children.filter(p -> Files.isRegularFile(p.resolve("function.json")))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)))
                    .toList();
        } catch (IOException e) {
            diagnostics.error(new ConfigProblem(root, "", "cannot be listed: " + e.getMessage()));
            return List.of();
        }
        List<FunctionDefinition> functions = new ArrayList<>();
        for (Path folder : folders) {
            FunctionDefinition fn = readFunction(folder, env, pureHttpMode, diagnostics);
            if (fn != null) {
                functions.add(fn);
            }
        }
        return functions;
    }

    private static FunctionDefinition readFunction(Path folder, Map<String, String> env, HttpMode pureHttpMode,
                                                   Diagnostics diagnostics) {
        String name = folder.getFileName().toString();
        Path file = folder.resolve("function.json");
        int errorsBefore = diagnostics.errors().size();
        if (!FUNCTION_NAME.matcher(name).matches() || name.equalsIgnoreCase("host")) {
            diagnostics.error(new ConfigProblem(file, "", "the folder name \"" + name + "\" is not a valid function name;"
                    + " expected a letter followed by up to 127 letters, digits, '_' or '-', and not \"host\""));
        }
        Optional<JsonNode> json = readJson(file, true, diagnostics);
        if (json.isEmpty()) {
            return null;
        }
        ConfigNode root = ConfigNode.root(file, json.get(), diagnostics);
        root.warnUnknownKeys(Set.of("disabled", "scriptFile", "entryPoint", "bindings", "retry", "excluded",
                "configurationSource", "generatedBy", "$schema"), "function.json");
        boolean disabled = root.bool("disabled").orElse(false)
                || "true".equalsIgnoreCase(env.getOrDefault("AzureWebJobs." + name + ".Disabled", "false"));
        root.string("scriptFile").ifPresent(script -> {
            if (!Files.exists(folder.resolve(script))) {
                root.problemAt("$.scriptFile", "names \"" + script + "\", which does not exist in " + folder
                        + " (custom handlers need no scriptFile; remove it)");
            }
        });

        List<Binding> bindings = new ArrayList<>();
        List<String> unsupported = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        HttpTrigger httpTrigger = null;
        if (root.child("bindings").isEmpty()) {
            root.problemAt("$.bindings", "is required: expected an array with one trigger binding");
        }
        for (ConfigNode b : root.elements("bindings")) {
            if (!b.isObject()) {
                b.problem("expected a binding object, found " + ConfigNode.describe(b.json()));
                continue;
            }
            String type = b.requiredString("type", "a binding type such as \"httpTrigger\" or \"http\"");
            String direction = b.requiredString("direction", "\"in\", \"out\" or \"inout\"");
            String bindingName = b.requiredString("name", "a binding name such as \"req\", \"res\" or \"$return\"");
            if (direction != null && !Set.of("in", "out", "inout").contains(direction.toLowerCase(Locale.ROOT))) {
                b.problemAt(b.childPath("direction"), "expected \"in\", \"out\" or \"inout\", found \"" + direction + "\"");
                direction = null;
            }
            if (bindingName != null && !bindingName.equals("$return") && !BINDING_NAME.matcher(bindingName).matches()) {
                b.problemAt(b.childPath("name"), "\"" + bindingName + "\" is not a valid binding name; expected a letter"
                        + " followed by up to 127 letters or digits, or \"$return\"");
            } else if (bindingName != null && !names.add(bindingName.toLowerCase(Locale.ROOT))) {
                b.problemAt(b.childPath("name"), "the binding name \"" + bindingName + "\" is used twice");
            }
            if (type == null || direction == null || bindingName == null) {
                continue;
            }
            String lowerType = type.toLowerCase(Locale.ROOT);
            if (!KNOWN_TYPES.contains(lowerType)) {
                b.problemAt(b.childPath("type"), "unknown binding type \"" + type + "\"; expected a binding type such as "
                        + "httpTrigger, http, timerTrigger, queueTrigger, queue, blobTrigger or blob");
                continue;
            }
            Binding binding = new Binding(type, direction, bindingName, b.string("dataType").orElse(null), b.json());
            bindings.add(binding);
            if (!SUPPORTED_TYPES.contains(lowerType)) {
                unsupported.add(type + " binding \"" + bindingName + "\" (" + b.path() + ")");
            }
            if (lowerType.equals("httptrigger")) {
                if (httpTrigger != null) {
                    b.problem("a function has one trigger; this is a second httpTrigger");
                    continue;
                }
                httpTrigger = readHttpTrigger(b, binding);
            }
        }
        long triggers = bindings.stream().filter(Binding::isTrigger).count();
        if (triggers == 0 && diagnostics.errors().size() == errorsBefore) {
            root.problemAt("$.bindings", "has no trigger; expected exactly one binding whose type ends in \"Trigger\"");
        } else if (triggers > 1) {
            root.problemAt("$.bindings", "has " + triggers + " triggers; a function has exactly one");
        }
        if (diagnostics.errors().size() > errorsBefore) {
            return null;
        }
        Optional<String> unsupportedReason = unsupported.isEmpty() ? Optional.empty()
                : Optional.of("Flint does not run " + String.join(", ", unsupported) + " yet");
        unsupportedReason.ifPresent(reason -> diagnostics.warn(new ConfigProblem(file, "$.bindings",
                "function \"" + name + "\" is listed but not served: " + reason)));
        FunctionDefinition draft = new FunctionDefinition(name, file, disabled, unsupportedReason, bindings,
                Optional.ofNullable(httpTrigger), HttpMode.ENVELOPE);
        HttpMode mode = draft.isPureHttp() ? pureHttpMode : HttpMode.ENVELOPE;
        return new FunctionDefinition(name, file, disabled, unsupportedReason, bindings, Optional.ofNullable(httpTrigger), mode);
    }

    private static HttpTrigger readHttpTrigger(ConfigNode b, Binding binding) {
        b.warnUnknownKeys(Set.of("type", "direction", "name", "authLevel", "methods", "route", "webHookType",
                "dataType", "properties"), "the httpTrigger binding");
        AuthLevel level = AuthLevel.FUNCTION;
        Optional<String> levelText = b.string("authLevel");
        if (levelText.isPresent()) {
            Optional<AuthLevel> parsed = AuthLevel.parse(levelText.get());
            if (parsed.isEmpty()) {
                b.problemAt(b.childPath("authLevel"), "expected \"anonymous\", \"function\" or \"admin\", found \""
                        + levelText.get() + "\"");
            } else {
                level = parsed.get();
            }
        }
        Set<String> methods = new java.util.LinkedHashSet<>();
        List<String> methodList = b.strings("methods");
        for (int i = 0; i < methodList.size(); i++) {
            String m = methodList.get(i).trim().toUpperCase(Locale.ROOT);
            if (!m.matches("[A-Z]+")) {
                b.problemAt(b.childPath("methods") + "[" + i + "]", "expected an HTTP method such as \"get\" or \"post\","
                        + " found \"" + methodList.get(i) + "\"");
            } else {
                methods.add(m);
            }
        }
        String route = b.string("route").map(String::trim).filter(r -> !r.isEmpty()).orElse(null);
        return new HttpTrigger(binding.name(), level, methods, route);
    }
}
