package dev.flint.host.auth;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's keys, kept where the running host and {@code flint keys} can both reach them.
 *
 * <h2>File mode (the default)</h2>
 * The keys live in {@code <data directory>/keys.json}, created 0700 with a {@code .gitignore} of
 * {@code *}; the file is 0600 and replaced atomically on every change:
 * <pre>{@code
 * {
 *   "version" : 1,
 *   "master" : "<value>",
 *   "system" : { "<name>" : "<value>" },
 *   "host" : { "default" : "<value>" },
 *   "functions" : { "<function>" : { "default" : "<value>" } }
 * }
 * }</pre>
 * Every field is optional when reading; unknown fields, bad names and bad values are errors, since
 * a silently skipped key is a locked-out client. The first open generates the master key and the
 * host key {@code default}, and every open gives each function without keys a key {@code default},
 * as Azure does. Changes are read-modify-write under {@link KeysLock}, and the file is watched, so
 * {@code flint keys renew default} in another terminal reaches the running host within moments.
 *
 * <h2>Environment mode</h2>
 * When {@code FLINT_MASTER_KEY} is set, the keys come from the environment only (see
 * {@link EnvironmentKeys}), nothing is written, and every change is refused.
 *
 * <p>Threading: {@link #current()} is a volatile read, for the event loop. Changes block on the
 * lock and the disk; run them elsewhere. No message or log line ever contains a key value.
 */
public final class KeyStore implements AutoCloseable {

    /** The environment variable that moves the data directory out of the app folder. */
    public static final String DATA_DIRECTORY_VARIABLE = "FLINT_DATA_DIR";

    /** The key Azure gives the host and every function. */
    private static final String DEFAULT_KEY = "default";
    private static final Logger LOG = LoggerFactory.getLogger("Host.Startup");

    /** A key after {@link #set}, and whether it was new. */
    public record Change(AccessKey key, boolean created) {}

    /** A change to the keys, made while the lock is held. */
    private interface Mutation<T> {
        T apply(KeyTable table) throws KeyStoreException;
    }

    private final FunctionNames functions;
    private final String source;
    /** Null in environment mode, as are {@link #lock} and {@link #watch}. */
    private final KeysFile file;
    private final KeysLock lock;
    private final FileWatch watch;
    private volatile AccessKeys current;
    /** The last reload failure logged, so that one broken save is one error; used by the watch thread only. */
    private String lastReloadProblem;

    private KeyStore(FunctionNames functions, String source, KeysFile file, KeysLock lock, FileWatch watch,
                     AccessKeys current) {
        this.functions = functions;
        this.source = source;
        this.file = file;
        this.lock = lock;
        this.watch = watch;
        this.current = current;
    }

    /** Where an app's keys live: {@code $FLINT_DATA_DIR} when set, else {@code <app>/.flint}. */
    public static Path dataDirectory(Path appRoot, Map<String, String> environment) {
        String configured = environment.get(DATA_DIRECTORY_VARIABLE);
        Path directory = configured == null || configured.isBlank() ? appRoot.resolve(".flint") : Path.of(configured);
        return directory.toAbsolutePath().normalize();
    }

    /**
     * Opens the keys of an app: from the environment when it has {@code FLINT_MASTER_KEY}, else from
     * {@code dataDirectory}, creating it and the keys it lacks.
     *
     * @param functionNames the app's functions: the only ones that may have keys of their own
     */
    public static KeyStore open(Path dataDirectory, Map<String, String> environment, Collection<String> functionNames)
            throws KeyStoreException {
        FunctionNames functions = new FunctionNames(functionNames);
        if (EnvironmentKeys.inUse(environment)) {
            return new KeyStore(functions, EnvironmentKeys.source(environment), null, null, null,
                    EnvironmentKeys.read(environment, functions));
        }
        Path directory = dataDirectory.toAbsolutePath().normalize();
        KeysFile file = KeysFile.in(directory);
        KeysLock lock = KeysLock.of(directory);
        FileWatch watch = FileWatch.register(directory, KeysFile.NAME); // before reading: no change is missed
        try {
            AccessKeys keys = lock.hold(() -> {
                KeyTable table = file.read().orElseGet(KeyTable::new);
                addMissingDefaults(table, functions);
                if (table.modified()) {
                    file.write(table);
                }
                return AccessKeys.of(table.keys());
            });
            KeyStore store = new KeyStore(functions, file.path().toString(), file, lock, watch, keys);
            watch.start(store::reload);
            return store;
        } catch (KeyStoreException | RuntimeException e) {
            watch.close();
            throw e;
        }
    }

    private static void addMissingDefaults(KeyTable table, FunctionNames functions) {
        boolean firstOpen = table.keys().isEmpty();
        if (table.find(KeyScope.MASTER, null, AccessKey.MASTER_NAME).isEmpty()) {
            table.put(KeyScope.MASTER, null, AccessKey.MASTER_NAME, KeyRules.generate());
        }
        if (firstOpen) {
            table.put(KeyScope.HOST, null, DEFAULT_KEY, KeyRules.generate());
        }
        for (String function : functions.all()) {
            if (!table.hasKeysOf(function)) {
                table.put(KeyScope.FUNCTION, function, DEFAULT_KEY, KeyRules.generate());
            }
        }
    }

    /** The keys as of the last change seen; cheap, for every request. */
    public AccessKeys current() {
        return current;
    }

    /** True when the keys come from the environment and cannot be changed. */
    public boolean readOnly() {
        return file == null;
    }

    /** Where the keys come from, for the banner: the file's path, or the environment variables. */
    public String source() {
        return source;
    }

    /**
     * Sets a key's value, creating the key if absent.
     *
     * @param function the function of a {@link KeyScope#FUNCTION} key (case-insensitive); ignored otherwise
     * @param value    the new value, or {@code null} to generate one
     * @throws KeyRejectedException when the name, value or function is not allowed, or the store is read-only
     */
    public Change set(KeyScope scope, String function, String name, String value) throws KeyStoreException {
        String fn = checkedFunction(scope, function);
        checkName(scope, name);
        if (value != null) {
            Optional<String> problem = KeyRules.valueProblem(value, scope.describe(fn, name));
            if (problem.isPresent()) {
                throw new KeyRejectedException(problem.get());
            }
        }
        String newValue = value == null ? KeyRules.generate() : value;
        return change(table -> table.put(scope, fn, name, newValue));
    }

    /** Gives a key a new generated value, creating the key if absent. */
    public AccessKey renew(KeyScope scope, String function, String name) throws KeyStoreException {
        return set(scope, function, name, null).key();
    }

    /**
     * Deletes a key; false when there was none.
     *
     * @throws KeyRejectedException for the master key, which can only be renewed or set
     */
    public boolean delete(KeyScope scope, String function, String name) throws KeyStoreException {
        String fn = checkedFunction(scope, function);
        checkName(scope, name);
        if (scope == KeyScope.MASTER) {
            throw new KeyRejectedException("the master key cannot be deleted; renew it to replace its value");
        }
        return change(table -> table.remove(scope, fn, name));
    }

    private String checkedFunction(KeyScope scope, String function) throws KeyRejectedException {
        if (readOnly()) {
            throw new KeyRejectedException("the keys are supplied through the " + source + " and cannot be changed"
                    + " here; change them there and restart Flint");
        }
        if (scope != KeyScope.FUNCTION) {
            return null;
        }
        if (function == null || function.isBlank()) {
            throw new KeyRejectedException("a function key needs the name of its function");
        }
        return functions.canonical(function).orElseThrow(() -> new KeyRejectedException(functions.unknown(function)));
    }

    private static void checkName(KeyScope scope, String name) throws KeyRejectedException {
        if (scope == KeyScope.MASTER) {
            if (!AccessKey.MASTER_NAME.equals(name)) {
                throw new KeyRejectedException("the master key is named " + AccessKey.MASTER_NAME);
            }
            return;
        }
        Optional<String> problem = KeyRules.nameProblem(name);
        if (problem.isPresent()) {
            throw new KeyRejectedException(problem.get());
        }
    }

    /** Read-modify-write: the file as it is now on disk (another process may have changed it), changed, written back. */
    private <T> T change(Mutation<T> mutation) throws KeyStoreException {
        return lock.hold(() -> {
            KeyTable table = file.read().orElseGet(KeyTable::new);
            T result = mutation.apply(table);
            if (table.modified()) {
                file.write(table);
            }
            current = AccessKeys.of(table.keys());
            return result;
        });
    }

    /** Called by the watch when keys.json changed; keeps the keys it has when the file is broken or gone. */
    private void reload() {
        try {
            Optional<AccessKeys> loaded = lock.hold(() -> {
                Optional<AccessKeys> keys = file.read().map(table -> AccessKeys.of(table.keys()));
                keys.filter(k -> !k.all().equals(current.all())).ifPresent(k -> {
                    current = k;
                    LOG.info("Reloaded the keys from {}", file.path());
                });
                return keys;
            });
            if (loaded.isPresent()) {
                lastReloadProblem = null;
            }
        } catch (KeyStoreException e) {
            if (!e.getMessage().equals(lastReloadProblem)) {
                LOG.error("{}. The keys read before stay in use.", e.getMessage());
            }
            lastReloadProblem = e.getMessage();
        }
    }

    /** Stops watching keys.json (no reload happens after this returns); {@link #current()} keeps answering the last keys. */
    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
    }
}
