package dev.flint.host.process;

import dev.flint.host.app.AppConfigException;
import dev.flint.host.app.ConfigProblem;
import dev.flint.host.app.FunctionApp;
import dev.flint.host.app.HandlerDescription;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The handler's command line, working directory and environment, resolved as Azure's
 * {@code DefaultWorkerProcessFactory} does: {@code exe <arguments...> [workerPath] <workerArguments...>},
 * with {@code %VAR%} expanded, and the executable taken relative to the worker directory when such a
 * file exists, else found on {@code PATH}.
 *
 * @param environment the handler's environment without the per-process variables (port, worker id)
 */
public record HandlerCommand(List<String> command, Path workingDirectory, Map<String, String> environment) {

    public HandlerCommand {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    /**
     * Resolves the app's handler against the host's environment. Fails, naming host.json and the
     * field, when the executable exists neither relative to the app nor on {@code PATH}.
     */
    public static HandlerCommand resolve(FunctionApp app, Map<String, String> hostEnvironment) throws AppConfigException {
        Map<String, String> env = new HashMap<>(hostEnvironment);
        env.putAll(app.settings().values());
        EnvironmentExpander expander = new EnvironmentExpander(env);
        HandlerDescription d = app.host().handler();
        Path hostJson = app.root().resolve("host.json");
        String section = app.host().legacyHttpWorker() ? "$.httpWorker.description" : "$.customHandler.description";

        Path workerDirectory = resolveDirectory(app.root(), expander.expand(d.workerDirectory()));
        Path workingDirectory = resolveDirectory(app.root(), expander.expand(d.workingDirectory()));
        String executable = expander.expand(d.defaultExecutablePath());
        Path local = workerDirectory.resolve(executable).normalize();
        String program;
        if (Files.isRegularFile(local)) {
            if (!Files.isExecutable(local)) {
                throw new AppConfigException(List.of(new ConfigProblem(hostJson, section + ".defaultExecutablePath",
                        "\"" + d.defaultExecutablePath() + "\" resolves to " + local + ", which is not executable"
                                + " (run: chmod +x " + local + ")")));
            }
            program = local.toString();
        } else if (isOnPath(executable, env.get("PATH"))) {
            program = executable;
        } else {
            throw new AppConfigException(List.of(new ConfigProblem(hostJson, section + ".defaultExecutablePath",
                    "\"" + d.defaultExecutablePath() + "\" was not found: no file " + local
                            + " and no such command on PATH; expected the handler program (build it first?)")));
        }
        if (!Files.isDirectory(workingDirectory)) {
            throw new AppConfigException(List.of(new ConfigProblem(hostJson, section + ".workingDirectory",
                    "\"" + d.workingDirectory() + "\" resolves to " + workingDirectory + ", which is not a directory")));
        }

        List<String> command = new ArrayList<>();
        command.add(program);
        d.arguments().forEach(a -> command.add(expander.expand(a)));
        if (d.defaultWorkerPath() != null && !d.defaultWorkerPath().isBlank()) {
            command.add(expander.expand(d.defaultWorkerPath()));
        }
        d.workerArguments().forEach(a -> command.add(expander.expand(a)));

        Map<String, String> handlerEnv = new HashMap<>(env);
        handlerEnv.put("FUNCTIONS_APP_ROOT_PATH", app.root().toString());
        return new HandlerCommand(command, workingDirectory, handlerEnv);
    }

    private static Path resolveDirectory(Path appRoot, String value) {
        if (value == null || value.isBlank()) {
            return appRoot;
        }
        return appRoot.resolve(value).normalize();
    }

    private static boolean isOnPath(String executable, String path) {
        if (executable.contains(File.separator)) {
            Path p = Path.of(executable);
            return Files.isRegularFile(p) && Files.isExecutable(p);
        }
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, executable);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return true;
            }
        }
        return false;
    }
}
