package dev.flint.host.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flint.host.app.AuthLevel;
import dev.flint.host.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyStoreTest {

    private static final List<String> FUNCTIONS = List.of("circle", "square");
    private static final Duration RELOAD = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final List<KeyStore> opened = new ArrayList<>();

    @AfterEach
    void closeStores() {
        opened.forEach(KeyStore::close);
    }

    private Path data() {
        return dir.resolve("app/.flint");
    }

    private KeyStore open() throws KeyStoreException {
        return open(data(), Map.of());
    }

    private KeyStore open(Path directory, Map<String, String> environment) throws KeyStoreException {
        KeyStore store = KeyStore.open(directory, environment, FUNCTIONS);
        opened.add(store);
        return store;
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + RELOAD.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + RELOAD + ": " + what);
            }
            Thread.sleep(10);
        }
    }

    private static String value(KeyStore store, KeyScope scope, String function, String name) {
        return store.current().keys(scope, function).stream().filter(k -> k.name().equals(name))
                .map(AccessKey::value).findFirst().orElse(null);
    }

    // ---- file mode: creation and reopening

    @Test
    void firstOpenGeneratesMasterHostDefaultAndFunctionDefaultsInAPrivateDirectory() throws Exception {
        KeyStore store = open();

        AccessKeys keys = store.current();
        assertThat(keys.all()).extracting(k -> k.scope() + " " + k.function() + " " + k.name()).containsExactly(
                "MASTER null _master", "HOST null default", "FUNCTION circle default", "FUNCTION square default");
        assertThat(keys.all()).extracting(AccessKey::value)
                .allSatisfy(v -> assertThat(v).matches("[A-Za-z0-9_-]{43}"))
                .doesNotHaveDuplicates();
        assertThat(permissions(data())).isEqualTo("rwx------");
        assertThat(permissions(data().resolve("keys.json"))).isEqualTo("rw-------");
        assertThat(data().resolve(".gitignore")).hasContent("*");
        assertThat(store.readOnly()).isFalse();
        assertThat(store.source()).isEqualTo(data().resolve("keys.json").toString());

        JsonNode json = new ObjectMapper().readTree(data().resolve("keys.json").toFile());
        assertThat(json.get("version").intValue()).isEqualTo(1);
        assertThat(json.get("master").textValue()).isEqualTo(keys.master().orElseThrow().value());
        assertThat(json.get("host").get("default").textValue()).isEqualTo(value(store, KeyScope.HOST, null, "default"));
        assertThat(json.get("functions").get("circle").get("default").textValue())
                .isEqualTo(value(store, KeyScope.FUNCTION, "circle", "default"));
        assertThat(json.get("system").isEmpty()).isTrue();
    }

    @Test
    void valuesDifferBetweenStores() throws Exception {
        AccessKeys one = open(dir.resolve("one"), Map.of()).current();
        AccessKeys two = open(dir.resolve("two"), Map.of()).current();

        assertThat(one.master().orElseThrow().value()).isNotEqualTo(two.master().orElseThrow().value());
        assertThat(one.keys(KeyScope.HOST, null).get(0).value()).isNotEqualTo(two.keys(KeyScope.HOST, null).get(0).value());
    }

    @Test
    void reopeningKeepsTheKeysAndGivesANewFunctionItsDefaultKey() throws Exception {
        KeyStore first = open();
        List<AccessKey> before = first.current().all();
        first.close();

        KeyStore again = KeyStore.open(data(), Map.of(), List.of("circle", "square", "triangle"));
        opened.add(again);

        assertThat(again.current().all()).containsAll(before);
        assertThat(again.current().keys(KeyScope.FUNCTION, "triangle")).extracting(AccessKey::name).containsExactly("default");
    }

    @Test
    void grantsTheStoredKeys() throws Exception {
        KeyStore store = open();
        store.set(KeyScope.SYSTEM, null, "webhook", "system-key-0123456789");
        AccessKeys keys = store.current();

        assertThat(keys.grant(keys.master().orElseThrow().value(), "circle").level()).isEqualTo(AuthLevel.ADMIN);
        assertThat(keys.grant("system-key-0123456789", null).level()).isEqualTo(AuthLevel.SYSTEM);
        assertThat(keys.grant(value(store, KeyScope.HOST, null, "default"), "square").level()).isEqualTo(AuthLevel.FUNCTION);
        String circle = value(store, KeyScope.FUNCTION, "circle", "default");
        assertThat(keys.grant(circle, "Circle").level()).isEqualTo(AuthLevel.FUNCTION);
        assertThat(keys.grant(circle, "square")).isEqualTo(Grant.anonymous());
    }

    // ---- changes

    @Test
    void setRenewAndDeleteAreSavedAndSayWhetherTheKeyIsNew() throws Exception {
        KeyStore store = open();

        KeyStore.Change created = store.set(KeyScope.HOST, null, "ci", "ci-value-0123456789");
        assertThat(created.created()).isTrue();
        assertThat(created.key()).isEqualTo(new AccessKey(KeyScope.HOST, null, "ci", "ci-value-0123456789"));
        KeyStore.Change updated = store.set(KeyScope.HOST, null, "CI", "ci-value-9876543210");
        assertThat(updated.created()).isFalse();
        assertThat(updated.key().name()).as("an existing key keeps its spelling").isEqualTo("ci");
        assertThat(value(store, KeyScope.HOST, null, "ci")).isEqualTo("ci-value-9876543210");

        KeyStore.Change generated = store.set(KeyScope.FUNCTION, "CIRCLE", "mobile", null);
        assertThat(generated.key().function()).as("the app's spelling").isEqualTo("circle");
        assertThat(generated.key().value()).matches("[A-Za-z0-9_-]{43}");

        String oldMaster = store.current().master().orElseThrow().value();
        AccessKey master = store.renew(KeyScope.MASTER, null, AccessKey.MASTER_NAME);
        assertThat(master.value()).isNotEqualTo(oldMaster).isEqualTo(store.current().master().orElseThrow().value());
        AccessKey fresh = store.renew(KeyScope.SYSTEM, null, "new");
        assertThat(store.current().keys(KeyScope.SYSTEM, null)).containsExactly(fresh);

        assertThat(store.delete(KeyScope.HOST, null, "ci")).isTrue();
        assertThat(store.delete(KeyScope.HOST, null, "ci")).isFalse();
        assertThat(store.current().keys(KeyScope.HOST, null)).extracting(AccessKey::name).containsExactly("default");

        store.close();
        KeyStore reopened = open();
        assertThat(reopened.current().all()).containsExactlyInAnyOrderElementsOf(store.current().all());
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a/b", "../../etc/passwd", "", " ", "a b", "%2F", ".hidden", "-x", "_master", "x\ny"})
    void refusesKeyNamesThatAreNotNames(String name) throws Exception {
        KeyStore store = open();
        byte[] before = Files.readAllBytes(data().resolve("keys.json"));

        assertThatThrownBy(() -> store.set(KeyScope.HOST, null, name, "a-valid-value-0123456789"))
                .isInstanceOf(KeyRejectedException.class)
                .hasMessageContaining("key name")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> store.set(KeyScope.FUNCTION, "circle", name, null)).isInstanceOf(KeyRejectedException.class);
        assertThatThrownBy(() -> store.delete(KeyScope.SYSTEM, null, name)).isInstanceOf(KeyRejectedException.class);

        assertThat(data().resolve("keys.json")).hasBinaryContent(before);
    }

    @Test
    void refusesALongNameAndAcceptsTheLongestName() throws Exception {
        KeyStore store = open();

        assertThat(store.set(KeyScope.HOST, null, "a".repeat(128), null).created()).isTrue();
        assertThatThrownBy(() -> store.set(KeyScope.HOST, null, "a".repeat(129), null))
                .isInstanceOf(KeyRejectedException.class);
    }

    @Test
    void theMasterKeyCanBeRenewedButNotDeletedOrRenamed() throws Exception {
        KeyStore store = open();

        assertThatThrownBy(() -> store.delete(KeyScope.MASTER, null, AccessKey.MASTER_NAME))
                .isInstanceOf(KeyRejectedException.class).hasMessageContaining("master key cannot be deleted");
        assertThatThrownBy(() -> store.set(KeyScope.MASTER, null, "root", null))
                .isInstanceOf(KeyRejectedException.class).hasMessageContaining("_master");
        assertThatThrownBy(() -> store.set(KeyScope.HOST, null, "_master", null))
                .isInstanceOf(KeyRejectedException.class).hasMessageContaining("reserved for the master key");
        assertThat(store.current().master()).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "", "has a space 0123456789", "percent%2F0123456789", "quote\"0123456789abc"})
    void refusesBadValuesWithoutShowingThem(String value) throws Exception {
        KeyStore store = open();

        assertThatThrownBy(() -> store.set(KeyScope.HOST, null, "ci", value))
                .isInstanceOf(KeyRejectedException.class)
                .hasMessageContaining("the value of the host key \"ci\"")
                .satisfies(e -> {
                    if (!value.isEmpty()) {
                        assertThat(e.getMessage()).doesNotContain(value);
                    }
                });
        assertThat(store.current().keys(KeyScope.HOST, null)).extracting(AccessKey::name).containsExactly("default");
    }

    @Test
    void refusesTooLongAValueAndAcceptsEveryAllowedCharacter() throws Exception {
        KeyStore store = open();

        assertThatThrownBy(() -> store.set(KeyScope.HOST, null, "ci", "x".repeat(257)))
                .isInstanceOf(KeyRejectedException.class).hasMessageContaining("257 characters");
        assertThat(store.set(KeyScope.HOST, null, "ci", "Az09._~+/=-Az09._~+/=-").created()).isTrue();
        assertThat(store.set(KeyScope.HOST, null, "long", "x".repeat(256)).created()).isTrue();
    }

    @Test
    void functionKeysNeedOneOfTheAppsFunctions() throws Exception {
        KeyStore store = open();

        assertThatThrownBy(() -> store.set(KeyScope.FUNCTION, "triangle", "default", null))
                .isInstanceOf(KeyRejectedException.class)
                .hasMessage("no function named \"triangle\"; the app's functions are circle, square");
        assertThatThrownBy(() -> store.set(KeyScope.FUNCTION, "../circle", "default", null))
                .isInstanceOf(KeyRejectedException.class).hasMessageStartingWith("no function named");
        assertThatThrownBy(() -> store.renew(KeyScope.FUNCTION, null, "default"))
                .isInstanceOf(KeyRejectedException.class).hasMessageContaining("needs the name of its function");
    }

    // ---- another process

    @Test
    void aChangeByAnotherStoreReachesTheRunningOne() throws Exception {
        KeyStore host = open();
        KeyStore cli = open();
        String before = value(host, KeyScope.HOST, null, "default");

        String renewed = cli.renew(KeyScope.HOST, null, "default").value();
        await("the renewed host key reaches the first store", () -> renewed.equals(value(host, KeyScope.HOST, null, "default")));
        assertThat(renewed).isNotEqualTo(before);
        assertThat(host.current().grant(before, "circle")).isEqualTo(Grant.anonymous());

        cli.set(KeyScope.FUNCTION, "square", "extra", "extra-value-0123456789");
        await("the new key reaches the first store", () -> value(host, KeyScope.FUNCTION, "square", "extra") != null);
        cli.delete(KeyScope.FUNCTION, "square", "extra");
        await("the deletion reaches the first store", () -> value(host, KeyScope.FUNCTION, "square", "extra") == null);
    }

    @Test
    void twoStoresChangingAtOnceLoseNothing() throws Exception {
        KeyStore one = open();
        KeyStore two = open();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Void>> done = threads.invokeAll(List.of(setMany(one, "one"), setMany(two, "two")));
            for (Future<Void> future : done) {
                future.get();
            }
        } finally {
            threads.shutdown();
        }

        KeyStore fresh = open();
        assertThat(fresh.current().keys(KeyScope.HOST, null)).hasSize(101);
        await("both stores see all 100 keys", () -> one.current().keys(KeyScope.HOST, null).size() == 101
                && two.current().keys(KeyScope.HOST, null).size() == 101);
    }

    private static Callable<Void> setMany(KeyStore store, String prefix) {
        return () -> {
            for (int i = 0; i < 50; i++) {
                store.set(KeyScope.HOST, null, prefix + "-" + i, null);
            }
            return null;
        };
    }

    // ---- broken and exposed files

    @Test
    void aCorruptFileIsAnErrorNamingTheFileAndWhere() throws Exception {
        Path file = data().resolve("keys.json");
        Files.createDirectories(data());
        String secret = "secret-0123456789abcdef";

        Files.writeString(file, "{\n  \"master\": " + secret + "\n}");
        assertThatThrownBy(this::open).isInstanceOf(KeyStoreException.class)
                .hasMessageStartingWith(file + ": is not valid JSON at line 2")
                .hasMessageNotContaining(secret);

        Files.writeString(file, "{\"host\": {\"default\": 42}}");
        assertThatThrownBy(this::open).hasMessage(file + ": $.host.default: expected a string (the value of the host key"
                + " \"default\"), found a number");

        Files.writeString(file, "{\"functions\": {\"circle\": {\"default\": \"short\"}}}");
        assertThatThrownBy(this::open).hasMessageStartingWith(file + ": $.functions.circle.default: the value of the key"
                + " \"default\" of function circle is 5 characters long");

        Files.writeString(file, "{\"hosts\": {}}");
        assertThatThrownBy(this::open).hasMessageStartingWith(file + ": $.hosts: unknown field");

        Files.writeString(file, "{\"host\": {\"a\": \"" + secret + "\", \"A\": \"" + secret + "\"}}");
        assertThatThrownBy(this::open).hasMessageStartingWith(file + ": $.host.A: is the host key \"A\" a second time")
                .hasMessageNotContaining(secret);
    }

    @Test
    void aCorruptSaveWhileRunningKeepsTheKeysAndLogsOneErrorWithoutValues() throws Exception {
        KeyStore store = open();
        AccessKeys before = store.current();
        Path file = data().resolve("keys.json");
        String secret = "secret-0123456789abcdef";

        try (LogCapture logs = new LogCapture()) {
            replace(file, "{\"master\": \"" + secret + "\",\n \"host\": {\"default\": " + secret + "}}");
            String error = logs.await(l -> l.startsWith("ERROR Host.Startup " + file + ": is not valid JSON at line 2"),
                    RELOAD);
            assertThat(error).contains("The keys read before stay in use").doesNotContain(secret);
            assertThat(store.current()).isSameAs(before);

            replace(file, "{\"master\": \"" + secret + "\"}");
            await("the repaired file is loaded", () -> store.current().master().orElseThrow().value().equals(secret));
            assertThat(logs.lines()).filteredOn(l -> l.startsWith("ERROR")).hasSize(1);
            assertThat(logs.lines()).noneMatch(l -> l.contains(secret));
        }
    }

    /** Replaces a file at once, as an editor saving by rename does, so the watcher never sees half a file. */
    private void replace(Path file, String content) throws Exception {
        Path temporary = Files.createTempFile(dir, "keys", ".json", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, content);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aFileOthersCanReadIsMadePrivateWithAWarning() throws Exception {
        open().close();
        Path file = data().resolve("keys.json");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        try (LogCapture logs = new LogCapture()) {
            KeyStore store = open();

            assertThat(permissions(file)).isEqualTo("rw-------");
            String warning = logs.await(l -> l.startsWith("WARN Host.Startup " + file + " was open to other users"), RELOAD);
            for (AccessKey key : store.current().all()) {
                assertThat(warning).doesNotContain(key.value());
            }
        }
    }

    // ---- environment mode

    @Test
    void environmentKeysAreReadOnlyAndNothingIsWritten() throws Exception {
        Map<String, String> env = Map.of(
                "FLINT_MASTER_KEY", "env-master-0123456789",
                "FLINT_HOST_KEYS", "default=env-host-0123456789, ci=env-ci-0123456789==,",
                "FLINT_SYSTEM_KEYS", "durable=env-system-0123456789",
                "FLINT_FUNCTION_KEYS", "Circle.default=env-circle-0123456789,square.a.b=env-square-0123456789");

        KeyStore store = open(data(), env);

        AccessKeys keys = store.current();
        assertThat(keys.master()).map(AccessKey::value).contains("env-master-0123456789");
        assertThat(keys.keys(KeyScope.HOST, null)).extracting(AccessKey::name, AccessKey::value)
                .containsExactly(tuple("ci", "env-ci-0123456789=="),
                        tuple("default", "env-host-0123456789"));
        assertThat(keys.keys(KeyScope.SYSTEM, null)).extracting(AccessKey::name).containsExactly("durable");
        assertThat(keys.keys(KeyScope.FUNCTION, "circle")).containsExactly(
                new AccessKey(KeyScope.FUNCTION, "circle", "default", "env-circle-0123456789"));
        assertThat(keys.keys(KeyScope.FUNCTION, "square")).extracting(AccessKey::name).containsExactly("a.b");
        assertThat(keys.grant("env-circle-0123456789", "circle").level()).isEqualTo(AuthLevel.FUNCTION);
        assertThat(store.readOnly()).isTrue();
        assertThat(store.source()).isEqualTo("environment variables FLINT_MASTER_KEY, FLINT_HOST_KEYS, FLINT_SYSTEM_KEYS,"
                + " FLINT_FUNCTION_KEYS");

        assertThatThrownBy(() -> store.set(KeyScope.HOST, null, "default", null)).isInstanceOf(KeyRejectedException.class)
                .hasMessageContaining("supplied through the environment variables FLINT_MASTER_KEY")
                .hasMessageContaining("change them there");
        assertThatThrownBy(() -> store.delete(KeyScope.HOST, null, "ci")).isInstanceOf(KeyRejectedException.class);
        assertThatThrownBy(() -> store.renew(KeyScope.MASTER, null, "_master")).isInstanceOf(KeyRejectedException.class);
        assertThat(data()).doesNotExist();
    }

    @Test
    void theMasterKeyAloneIsEnoughInTheEnvironment() throws Exception {
        KeyStore store = open(data(), Map.of("FLINT_MASTER_KEY", "env-master-0123456789"));

        assertThat(store.current().all()).hasSize(1);
        assertThat(store.source()).isEqualTo("environment variables FLINT_MASTER_KEY");
    }

    @Test
    void otherKeyVariablesWithoutTheMasterKeyAreRefused() {
        assertThatThrownBy(() -> open(data(), Map.of("FLINT_HOST_KEYS", "default=env-host-0123456789")))
                .isInstanceOf(KeyRejectedException.class)
                .hasMessageStartingWith("FLINT_HOST_KEYS is set, but FLINT_MASTER_KEY is not: FLINT_MASTER_KEY is required")
                .hasMessageNotContaining("env-host-0123456789");
        assertThat(data()).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "FLINT_MASTER_KEY=short-secret|FLINT_MASTER_KEY: the value of the master key is 12 characters long",
            "FLINT_MASTER_KEY=|FLINT_MASTER_KEY: the value of the master key is empty",
            "FLINT_HOST_KEYS=a=ok-value-0123456789,short-secret|FLINT_HOST_KEYS: entry 2 has no '='",
            "FLINT_HOST_KEYS=bad name=ok-value-0123456789|FLINT_HOST_KEYS: entry 1: the key name \"bad name\" is not allowed",
            "FLINT_HOST_KEYS=ci=short-secret|FLINT_HOST_KEYS: the value of the host key \"ci\" is 12 characters long",
            "FLINT_HOST_KEYS=ci=ok-value-0123456789,CI=ok-value-0123456789|FLINT_HOST_KEYS: the host key \"CI\" is given twice",
            "FLINT_SYSTEM_KEYS==ok-value-0123456789|FLINT_SYSTEM_KEYS: entry 1: a key name is required",
            "FLINT_FUNCTION_KEYS=default=ok-value-0123456789|FLINT_FUNCTION_KEYS: entry 1 (\"default\") has no function name",
            "FLINT_FUNCTION_KEYS=nope.default=ok-value-0123456789|FLINT_FUNCTION_KEYS: entry 1: no function named \"nope\"",
            "FLINT_FUNCTION_KEYS=circle.x=short-secret|FLINT_FUNCTION_KEYS: the value of the key \"x\" of function circle is"})
    void malformedEnvironmentKeysAreRefusedByVariableAndPositionWithoutValues(String testCase) {
        String[] parts = testCase.split("\\|");
        int equals = parts[0].indexOf('=');
        Map<String, String> env = new HashMap<>(Map.of("FLINT_MASTER_KEY", "env-master-0123456789"));
        env.put(parts[0].substring(0, equals), parts[0].substring(equals + 1));

        assertThatThrownBy(() -> open(data(), env))
                .isInstanceOf(KeyRejectedException.class)
                .hasMessageStartingWith(parts[1])
                .hasMessageNotContaining("short-secret")
                .hasMessageNotContaining("ok-value-0123456789");
    }
}
