package dev.flint.host.app;

import java.util.List;
import java.util.stream.Collectors;

/** The app cannot start: every problem found, each naming its file and JSON path. */
public final class AppConfigException extends Exception {

    private final transient List<ConfigProblem> problems;

    public AppConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
