package dev.flint.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the real {@code flint} command in child JVMs (the test's own java and classpath), as
 * {@code ./flint} does. Registered as an extension: after each test, whatever is still running is
 * killed with everything below it, and when the test failed, every child's output is printed.
 */
final class FlintCli implements AfterEachCallback {

    private final List<ChildProcess> started = new ArrayList<>();

    /** {@code flint <args...>}, run in the repository root with the test's environment. */
    ChildProcess run(String... args) {
        return run(Map.of(), args);
    }

    ChildProcess run(Map<String, String> extraEnvironment, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // As the launcher: Netty loads its epoll transport through JNI.
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FlintCommand.class.getName());
        command.addAll(List.of(args));
        ChildProcess child = ChildProcess.start(command, Repo.root(), extraEnvironment);
        synchronized (started) {
            started.add(child);
        }
        return child;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<ChildProcess> children;
        synchronized (started) {
            children = List.copyOf(started);
            started.clear();
        }
        if (context.getExecutionException().isPresent()) {
            for (ChildProcess child : children) {
                System.out.println("Output of a flint process of the failed test " + context.getDisplayName() + ":\n"
                        + child.report());
            }
        }
        for (ChildProcess child : children) {
            child.close();
        }
    }
}
