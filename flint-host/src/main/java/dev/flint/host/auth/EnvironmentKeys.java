package dev.flint.host.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keys given as environment variables, for deployments where the data directory is not
 * persistent or secrets come from the platform: {@code FLINT_MASTER_KEY=<value>},
 * {@code FLINT_HOST_KEYS=name=value,...}, {@code FLINT_SYSTEM_KEYS=name=value,...} and
 * {@code FLINT_FUNCTION_KEYS=function.keyname=value,...}. Errors name the variable and the entry's
 * position or key name, never a value.
 */
final class EnvironmentKeys {

    static final String MASTER = "FLINT_MASTER_KEY";
    static final String HOST = "FLINT_HOST_KEYS";
    static final String SYSTEM = "FLINT_SYSTEM_KEYS";
    static final String FUNCTION = "FLINT_FUNCTION_KEYS";
    private static final List<String> VARIABLES = List.of(MASTER, HOST, SYSTEM, FUNCTION);

    private EnvironmentKeys() {}

    /**
     * Whether the keys come from {@code environment}: FLINT_MASTER_KEY is set. The other variables
     * without it are refused rather than ignored, since keys.json would then be used instead of the
     * keys someone meant to give.
     */
    static boolean inUse(Map<String, String> environment) throws KeyRejectedException {
        if (environment.containsKey(MASTER)) {
            return true;
        }
        List<String> others = VARIABLES.stream().filter(environment::containsKey).toList();
        if (!others.isEmpty()) {
            String named = String.join(" and ", others);
            throw new KeyRejectedException(named + (others.size() == 1 ? " is" : " are") + " set, but " + MASTER
                    + " is not: " + MASTER + " is required when the keys come from the environment; set it as well, or"
                    + " unset " + named + " to keep the keys in keys.json");
        }
        return false;
    }

    /** The variables in use, for {@link KeyStore#source()}. */
    static String source(Map<String, String> environment) {
        return "environment variables " + String.join(", ", VARIABLES.stream().filter(environment::containsKey).toList());
    }

    static AccessKeys read(Map<String, String> environment, FunctionNames functions) throws KeyRejectedException {
        KeyTable table = new KeyTable();
        String master = environment.get(MASTER);
        Optional<String> masterProblem = KeyRules.valueProblem(master, "the master key");
        if (masterProblem.isPresent()) {
            throw new KeyRejectedException(MASTER + ": " + masterProblem.get());
        }
        table.add(new AccessKey(KeyScope.MASTER, null, AccessKey.MASTER_NAME, master));
        readEntries(environment, SYSTEM, KeyScope.SYSTEM, functions, table);
        readEntries(environment, HOST, KeyScope.HOST, functions, table);
        readEntries(environment, FUNCTION, KeyScope.FUNCTION, functions, table);
        return AccessKeys.of(table.keys());
    }

    private static void readEntries(Map<String, String> environment, String variable, KeyScope scope,
                                    FunctionNames functions, KeyTable table) throws KeyRejectedException {
        String text = environment.get(variable);
        if (text == null) {
            return;
        }
        String syntax = scope == KeyScope.FUNCTION ? "function.keyname=value" : "name=value";
        String[] entries = text.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            if (entry.isEmpty()) {
                continue; // "a=x,,b=y" or a trailing comma
            }
            String at = variable + ": entry " + (i + 1);
            int equals = entry.indexOf('=');
            if (equals < 0) {
                throw new KeyRejectedException(at + " has no '='; expected " + syntax + ", separated by commas");
            }
            String name = entry.substring(0, equals).trim();
            String value = entry.substring(equals + 1).trim();
            String function = null;
            if (scope == KeyScope.FUNCTION) {
                int dot = name.indexOf('.');
                if (dot < 0) {
                    throw new KeyRejectedException(at + " (" + KeyRules.shown(name) + ") has no function name; expected "
                            + syntax);
                }
                String given = name.substring(0, dot);
                function = functions.canonical(given).orElseThrow(() -> new KeyRejectedException(
                        at + ": " + functions.unknown(given)));
                name = name.substring(dot + 1);
            }
            Optional<String> nameProblem = KeyRules.nameProblem(name);
            if (nameProblem.isPresent()) {
                throw new KeyRejectedException(at + ": " + nameProblem.get());
            }
            String described = scope.describe(function, name);
            Optional<String> valueProblem = KeyRules.valueProblem(value, described);
            if (valueProblem.isPresent()) {
                throw new KeyRejectedException(variable + ": " + valueProblem.get());
            }
            if (!table.add(new AccessKey(scope, function, name, value))) {
                throw new KeyRejectedException(variable + ": " + described + " is given twice (names compare"
                        + " case-insensitively)");
            }
        }
    }
}
