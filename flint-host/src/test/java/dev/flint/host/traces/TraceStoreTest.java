package dev.flint.host.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flint.trace.model.Trace;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The store on its own: files, sidecars, the index across restarts, retention, and what it refuses. */
class TraceStoreTest {

    @TempDir
    Path dir;

    private static final long LIMIT = 10L << 20;

    private static TraceStore.Entry put(TraceStore store, String fixture, Map<String, String> labels) throws Exception {
        return store.put(new ByteArrayInputStream(Fixtures.bytes(fixture)), LIMIT, labels);
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("traces"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void storesTheBytesAsReceivedWithASidecarAndAnOwnerOnlyDirectory() throws Exception {
        TraceStore store = TraceStore.open(dir.resolve("traces"), TraceStore.Retention.NONE);
        TraceStore.Entry entry = put(store, Fixtures.JAVA_GZ, Map.of("name", "loop", "instance", "i-1"));
        Trace expected = Fixtures.trace(Fixtures.JAVA_GZ);

        assertThat(entry.id()).matches("\\d{8}T\\d{6}Z-[0-9a-f]{8}");
        assertThat(entry.name()).isEqualTo("loop");
        assertThat(entry.labels()).containsEntry("function", "loop").containsEntry("instance", "i-1");
        assertThat(entry.format()).isEqualTo(expected.format());
        assertThat(entry.samples()).isEqualTo(expected.samples().totalCount());
        assertThat(entry.startNanos()).isEqualTo(expected.startNanos());
        assertThat(entry.endNanos()).isEqualTo(expected.endNanos());
        assertThat(entry.source()).isEqualTo(TraceStore.Source.COLLECTOR);
        assertThat(entry.sizeBytes()).isEqualTo(Fixtures.bytes(Fixtures.JAVA_GZ).length);
        assertThat(Files.readAllBytes(store.file(entry.id()))).isEqualTo(Fixtures.bytes(Fixtures.JAVA_GZ));
        assertThat(files()).containsExactly(entry.id() + ".json", entry.id() + ".trace");

        JsonNode sidecar = TraceStore.JSON.readTree(dir.resolve("traces").resolve(entry.id() + ".json").toFile());
        assertThat(sidecar.get("id").asText()).isEqualTo(entry.id());
        assertThat(sidecar.get("source").asText()).isEqualTo("collector");
        assertThat(sidecar.get("info").get("samples").asLong()).isEqualTo(expected.samples().totalCount());
        assertThat(sidecar.get("info").get("source").asText()).isEqualTo(entry.id());
        assertThat(store.info(entry.id()).orElseThrow().get("stacks").asInt()).isEqualTo(expected.stacks().size());

        assertThat(Files.getPosixFilePermissions(dir.resolve("traces")))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(store.file(entry.id())))
                .doesNotContain(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        assertThat(store.totalBytes()).isEqualTo(entry.storedBytes());
    }

    @Test
    void aNewStoreOnTheSameDirectorySeesTheSameTraces() throws Exception {
        TraceStore first = TraceStore.open(dir.resolve("traces"), TraceStore.Retention.NONE);
        TraceStore.Entry a = put(first, Fixtures.PYTHON, Map.of("name", "py", "host", "h1"));
        TraceStore.Entry b = put(first, Fixtures.FOLDED, Map.of("function", "java"));
        List<InvocationMark> marks = List.of(new InvocationMark("inv-1", a.startNanos(), a.startNanos() + 1000, 7995,
                "py", "Succeeded"));
        Path copy = dir.resolve("profiled.perf");
        Files.copy(Fixtures.path(Fixtures.PYTHON), copy);
        TraceStore.Entry c = first.put(copy, Map.of("name", "py"), marks);

        TraceStore second = TraceStore.open(dir.resolve("traces"), TraceStore.Retention.NONE);
        assertThat(second.list(TraceStore.Query.ALL)).containsExactlyInAnyOrderElementsOf(
                first.list(TraceStore.Query.ALL));
        assertThat(second.get(a.id())).contains(a);
        assertThat(second.get(b.id()).orElseThrow().format()).isEqualTo("folded");
        assertThat(second.get(c.id()).orElseThrow().source()).isEqualTo(TraceStore.Source.PROFILER);
        assertThat(second.invocations(c.id())).isEqualTo(marks);
        assertThat(second.totalBytes()).isEqualTo(first.totalBytes());
        assertThat(copy).doesNotExist(); // moved into the store
    }

    @Test
    void listsNewestFirstFilteredByNameFunctionLabelAndTime() throws Exception {
        Fixtures.MovableClock clock = new Fixtures.MovableClock(Instant.parse("2026-12-01T09:00:00Z"));
        TraceStore store = TraceStore.open(dir.resolve("traces"), TraceStore.Retention.NONE, clock);
        TraceStore.Entry a = put(store, Fixtures.FOLDED, Map.of("name", "a", "function", "fib", "host", "h1"));
        clock.advance(Duration.ofMinutes(1));
        TraceStore.Entry b = put(store, Fixtures.FOLDED, Map.of("name", "b", "function", "fib", "host", "h2"));
        clock.advance(Duration.ofMinutes(1));
        TraceStore.Entry c = put(store, Fixtures.FOLDED, Map.of("name", "c", "host", "h1"));

        assertThat(store.list(TraceStore.Query.ALL)).containsExactly(c, b, a);
        assertThat(store.list(TraceStore.Query.ALL.withFunction("FIB"))).containsExactly(b, a);
        assertThat(store.list(TraceStore.Query.ALL.withLabel("host", "h1"))).containsExactly(c, a);
        assertThat(store.list(TraceStore.Query.ALL.withName("b"))).containsExactly(b);
        assertThat(store.list(TraceStore.Query.ALL.withTime(Instant.parse("2026-12-01T09:01:00Z"), null)))
                .containsExactly(c, b);
        assertThat(store.list(TraceStore.Query.ALL.withTime(null, Instant.parse("2026-12-01T09:01:00Z"))))
                .containsExactly(a);
        assertThat(store.list(TraceStore.Query.ALL.withLimit(2))).containsExactly(c, b);
        assertThat(a.id()).startsWith("20261201T090000Z-");
    }

    @Test
    void retentionDeletesByAgeThenTheOldestBySize() throws Exception {
        Fixtures.MovableClock clock = new Fixtures.MovableClock(Instant.parse("2026-12-01T09:00:00Z"));
        TraceStore store = TraceStore.open(dir.resolve("traces"), TraceStore.Retention.NONE, clock);
        List<TraceStore.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            entries.add(put(store, Fixtures.FOLDED, Map.of("name", "t" + i)));
            clock.advance(Duration.ofHours(1));
        }
        List<String> deletedByRemoval = new ArrayList<>();
        store.onDelete(deletedByRemoval::add);

        // Now 13:00; t0 came at 09:00, t1 at 10:00.
        assertThat(store.enforce(Duration.ofMinutes(210), Long.MAX_VALUE)).containsExactly(entries.get(0).id());
        long twoNewest = entries.get(2).storedBytes() + entries.get(3).storedBytes();
        assertThat(store.enforce(null, twoNewest)).containsExactly(entries.get(1).id());
        assertThat(store.list(TraceStore.Query.ALL)).containsExactly(entries.get(3), entries.get(2));
        assertThat(store.totalBytes()).isEqualTo(twoNewest);
        assertThat(deletedByRemoval).containsExactly(entries.get(0).id(), entries.get(1).id());
        assertThat(files()).hasSize(4);
    }

    @Test
    void retentionRunsAfterEachPutAndNeverDeletesTheTraceJustStored() throws Exception {
        long one = Files.size(Fixtures.path(Fixtures.FOLDED));
        TraceStore store = TraceStore.open(dir.resolve("traces"), new TraceStore.Retention(null, 2 * one + 4096));
        TraceStore.Entry a = put(store, Fixtures.FOLDED, Map.of("name", "a"));
        TraceStore.Entry b = put(store, Fixtures.FOLDED, Map.of("name", "b"));
        TraceStore.Entry c = put(store, Fixtures.FOLDED, Map.of("name", "c"));
        assertThat(store.list(TraceStore.Query.ALL)).extracting(TraceStore.Entry::id)
                .containsExactlyInAnyOrder(b.id(), c.id()).doesNotContain(a.id());

        TraceStore tiny = TraceStore.open(dir.resolve("tiny"), new TraceStore.Retention(null, 10));
        TraceStore.Entry big = put(tiny, Fixtures.PYTHON, Map.of("name", "big"));
        assertThat(tiny.get(big.id())).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", "", "-starts-with-dash", "with space", "x\ny"})
    void refusesABadNameNamingIt(String name) throws Exception {
        TraceStore store = TraceStore.open(dir.resolve("traces"), TraceStore.Retention.NONE);
        assertThatThrownBy(() -> put(store, Fixtures.FOLDED, Map.of("name", name)))
                .isInstanceOf(TraceRejectedException.class)
                .hasMessageContaining(name.isEmpty() ? "the name is empty" : "the name \"")
                .satisfies(e -> assertThat(((TraceRejectedException) e).reason())
                        .isEqualTo(TraceRejectedException.Reason.BAD_LABEL));
        assertThat(files()).isEmpty();
    }

    @Test
    void refusesANameOfThreeHundredCharactersAndAMissingName() throws Exception {
        TraceStore store = TraceStore.open(dir.resolve("traces"), TraceStore.Retention.NONE);
        assertThatThrownBy(() -> put(store, Fixtures.FOLDED, Map.of("name", "a".repeat(300))))
                .hasMessageContaining("is 300 characters long");
        assertThatThrownBy(() -> put(store, Fixtures.FOLDED, Map.of("host", "h1")))
                .hasMessageContaining("a trace needs a name");
        assertThat(files()).isEmpty();
    }

    @Test
    void sanitisesLabelValuesAndRefusesBadKeys() throws Exception {
        TraceLabels labels = TraceLabels.of(Map.of("name", "fib", "cpu", "Intel(R) Xeon(R) CPU @ 2.30GHz",
                "Region", "eu-west-1"));
        assertThat(labels.labels()).containsEntry("cpu", "Intel_R_Xeon_R_CPU_2.30GHz").containsEntry("region", "eu-west-1")
                .containsEntry("function", "fib");
        assertThatThrownBy(() -> TraceLabels.of(Map.of("name", "fib", "a/b", "x")))
                .hasMessageContaining("the label key \"a/b\" is not allowed");
        assertThatThrownBy(() -> TraceLabels.of(Map.of("name", "fib", "host", "///")))
                .hasMessageContaining("the label host has an empty value");
    }

    @Test
    void aBodyThatIsNotATraceIsRefusedWithTheLineAndLeavesNothing() throws Exception {
        TraceStore store = TraceStore.open(dir.resolve("traces"), TraceStore.Retention.NONE);
        byte[] body = "# a comment\n\nthis is not a trace\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(body), LIMIT, Map.of("name", "fib")))
                .isInstanceOf(TraceRejectedException.class)
                .hasMessageStartingWith("fib:3: ")
                .hasMessageContaining("\"this is not a trace\"");
        assertThat(files()).isEmpty();
        assertThat(store.size()).isZero();
    }

    @Test
    void aBodyPastTheLimitIsRefusedAndLeavesNothing() throws Exception {
        TraceStore store = TraceStore.open(dir.resolve("traces"), TraceStore.Retention.NONE);
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(Fixtures.bytes(Fixtures.PYTHON)), 1000,
                Map.of("name", "fib")))
                .isInstanceOf(TraceRejectedException.class)
                .hasMessageContaining("limit of 1000 bytes")
                .satisfies(e -> assertThat(((TraceRejectedException) e).reason())
                        .isEqualTo(TraceRejectedException.Reason.TOO_LARGE));
        assertThat(files()).isEmpty();
    }

    @Test
    void concurrentPutsAllGetTheirOwnId() throws Exception {
        TraceStore store = TraceStore.open(dir.resolve("traces"), TraceStore.Retention.NONE);
        List<Callable<TraceStore.Entry>> puts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String name = "t" + i;
            puts.add(() -> put(store, Fixtures.FOLDED, Map.of("name", name)));
        }
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<String> ids = new ArrayList<>();
            for (Future<TraceStore.Entry> f : pool.invokeAll(puts)) {
                ids.add(f.get().id());
            }
            assertThat(ids).doesNotHaveDuplicates().hasSize(16);
        }
        assertThat(store.size()).isEqualTo(16);
        assertThat(files()).hasSize(32);
    }

    @Test
    void deleteRemovesEveryFileAndIdsNeverBecomePaths() throws Exception {
        TraceStore store = TraceStore.open(dir.resolve("traces"), TraceStore.Retention.NONE);
        TraceStore.Entry a = put(store, Fixtures.FOLDED, Map.of("name", "a"));
        assertThat(store.delete(a.id())).isTrue();
        assertThat(store.delete(a.id())).isFalse();
        assertThat(store.get(a.id())).isEmpty();
        assertThat(files()).isEmpty();
        assertThat(store.get("../../etc/passwd")).isEmpty();
        assertThat(store.delete("../x")).isFalse();
        assertThatThrownBy(() -> store.file("../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void openingForgetsSidecarsWithoutTracesAndAnotherProcesssDeletionsAreNoticed() throws Exception {
        TraceStore store = TraceStore.open(dir.resolve("traces"), TraceStore.Retention.NONE);
        TraceStore.Entry a = put(store, Fixtures.FOLDED, Map.of("name", "a"));
        TraceStore.Entry b = put(store, Fixtures.FOLDED, Map.of("name", "b"));
        TraceStore other = TraceStore.open(dir.resolve("traces"), TraceStore.Retention.NONE);
        assertThat(other.delete(a.id())).isTrue();
        Files.delete(store.file(b.id())); // a trace file lost: the sidecar alone is not a trace

        assertThat(store.enforce()).isEmpty();
        assertThat(store.get(a.id())).isEmpty();
        assertThat(TraceStore.open(dir.resolve("traces"), TraceStore.Retention.NONE).size()).isZero();
        assertThat(files()).isEmpty();
    }
}
