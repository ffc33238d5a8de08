package dev.flint.host.app;

import java.util.ArrayList;
import java.util.List;

/** Errors and warnings collected while loading an app, in the order found. */
final class Diagnostics {

    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    void error(ConfigProblem problem) {
        errors.add(problem);
    }

    void warn(ConfigProblem problem) {
        warnings.add(problem);
    }

    List<ConfigProblem> errors() {
        return errors;
    }

    List<ConfigProblem> warnings() {
        return warnings;
    }
}
