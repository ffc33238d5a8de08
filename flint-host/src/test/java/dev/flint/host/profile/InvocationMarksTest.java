package dev.flint.host.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.app.HttpMode;
import dev.flint.host.invoke.Invocation;
import dev.flint.host.traces.InvocationMark;
import dev.flint.host.invoke.InvocationLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvocationMarksTest {

    private static final Invocation.Outcome OK = Invocation.Outcome.SUCCEEDED;

    @TempDir
    Path dir;

    @Test
    void betweenReturnsTheMarksThatOverlapTheRangeOrderedByStart() {
        InvocationMarks marks = new InvocationMarks(100);
        marks.record("a", "f", 7, 100, 200, OK);
        marks.record("b", "g", 7, 150, 180, Invocation.Outcome.FAILED);
        marks.record("c", "f", 8, 50, 120, Invocation.Outcome.CANCELLED);
        marks.record("d", "f", 7, 300, 400, OK);

        assertThat(marks.between(110, 250, Optional.empty())).extracting(InvocationMarks.Mark::id).containsExactly("c", "a", "b");
        assertThat(marks.between(110, 250, Optional.of("f"))).extracting(InvocationMarks.Mark::id).containsExactly("c", "a");
        assertThat(marks.between(0, 1000, Optional.of("nobody"))).isEmpty();
        assertThat(marks.between(200, 300, Optional.empty())).extracting(InvocationMarks.Mark::id).containsExactly("a", "d");
        assertThat(marks.between(110, 250, Optional.of("g")))
                .containsExactly(new InvocationMarks.Mark("b", "g", 7, 150, 180, Invocation.Outcome.FAILED));
    }

    @Test
    void uuidsAreKeptCompactlyAndOtherIdsAsTheyAre() {
        InvocationMarks marks = new InvocationMarks(10);
        String uuid = UUID.randomUUID().toString();
        String upper = uuid.toUpperCase();
        marks.record(uuid, "f", 1, 1, 2, OK);
        marks.record(upper, "f", 1, 1, 2, OK);
        marks.record("req-42", "f", 1, 1, 2, OK);
        assertThat(marks.between(0, 10, Optional.empty())).extracting(InvocationMarks.Mark::id)
                .containsExactlyInAnyOrder(uuid, upper, "req-42");
        assertThat(InvocationMarks.uuid("not-a-uuid")).isNull();
    }

    @Test
    void theRingKeepsTheLastMarksOnly() {
        InvocationMarks marks = new InvocationMarks(InvocationMarks.CHUNK); // one chunk
        int total = InvocationMarks.CHUNK * 3 + 5;
        for (int k = 0; k < total; k++) {
            marks.record("m" + k, "f", 1, k, k, OK);
        }
        List<InvocationMarks.Mark> kept = marks.between(0, Long.MAX_VALUE, Optional.empty());
        assertThat(kept).hasSize(InvocationMarks.CHUNK);
        assertThat(kept.get(0).id()).isEqualTo("m" + (total - InvocationMarks.CHUNK));
        assertThat(kept.get(kept.size() - 1).id()).isEqualTo("m" + (total - 1));
        assertThat(marks.recorded()).isEqualTo(total);
    }

    @Test
    void concurrentWritersAndAReaderNeverSeeAHalfWrittenMark() throws Exception {
        // A small ring and more writers than CPUs: writers lap each other and get preempted mid-write.
        InvocationMarks marks = new InvocationMarks(InvocationMarks.CHUNK);
        int writers = 6;
        int each = 200_000;
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; k < each; k++) {
                    // Every field follows from k and the writer, so a torn mark cannot pass the check.
                    long start = (long) writer * 1_000_000_000L + k;
                    marks.record(new UUID(writer, k).toString(), "f" + writer, writer, start, start + writer + 1,
                            Invocation.Outcome.values()[k % 3]);
                }
            }));
        }
        List<String> errors = new ArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                for (InvocationMarks.Mark m : marks.between(0, Long.MAX_VALUE, Optional.empty())) {
                    UUID id = UUID.fromString(m.id());
                    long writer = id.getMostSignificantBits();
                    long k = id.getLeastSignificantBits();
                    boolean consistent = m.function().equals("f" + writer) && m.pid() == writer
                            && m.startNanos() == writer * 1_000_000_000L + k && m.endNanos() == m.startNanos() + writer + 1
                            && m.status() == Invocation.Outcome.values()[(int) (k % 3)];
                    if (!consistent && errors.size() < 5) {
                        errors.add(m.toString());
                    }
                }
            }
        });
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        done.set(true);
        reader.join();
        assertThat(errors).isEmpty();
        assertThat(marks.recorded()).isEqualTo((long) writers * each);
        assertThat(marks.between(0, Long.MAX_VALUE, Optional.empty())).hasSize(marks.capacity());
    }

    @Test
    void theListenerRecordsAnInvocationWhenItEnds() {
        InvocationMarks marks = new InvocationMarks(10);
        FunctionDefinition fn = new FunctionDefinition("circle", Path.of("circle/function.json"), false, Optional.empty(),
                List.of(), Optional.empty(), HttpMode.ENVELOPE);
        Invocation ok = Invocation.start(fn, marks.listener(() -> 4242));
        Invocation failed = Invocation.start(fn, marks.listener(() -> 4242));
        long before = System.nanoTime();
        InvocationLog.succeeded(ok);
        InvocationLog.cancelled(failed, "the client went away");
        InvocationLog.succeeded(ok); // ends once: not recorded again
        long after = System.nanoTime();

        List<InvocationMarks.Mark> kept = marks.between(0, Long.MAX_VALUE, Optional.of("circle"));
        assertThat(kept).hasSize(2);
        InvocationMarks.Mark first = kept.stream().filter(m -> m.id().equals(ok.id())).findFirst().orElseThrow();
        assertThat(first.pid()).isEqualTo(4242);
        assertThat(first.status()).isEqualTo(Invocation.Outcome.SUCCEEDED);
        assertThat(first.startNanos()).isEqualTo(ok.startNanos());
        assertThat(first.endNanos()).isBetween(before, after);
        assertThat(kept).extracting(InvocationMarks.Mark::status)
                .containsExactlyInAnyOrder(Invocation.Outcome.SUCCEEDED, Invocation.Outcome.CANCELLED);
    }

    @Test
    void theInvocationsFileHasTheFieldsFlintTraceReadsFirst() throws IOException {
        List<InvocationMarks.Mark> marks = List.of(
                new InvocationMarks.Mark("0b9e7c2a-5d1f-4e2b-9a7d-3c1f0e8d6b5a", "circle", 4242, 1017868000000L,
                        1017871500000L, Invocation.Outcome.SUCCEEDED),
                new InvocationMarks.Mark("x y", "circle", -1, 5, 9, Invocation.Outcome.FAILED));
        Path file = dir.resolve("t1.invocations");
        InvocationMark.write(marks.stream().map(InvocationMarks.Mark::toStored).toList(), file);
        assertThat(Files.readString(file)).isEqualTo(InvocationMark.HEADER + "\n"
                + "0b9e7c2a-5d1f-4e2b-9a7d-3c1f0e8d6b5a 1017868000000 1017871500000 4242 circle succeeded\n"
                + "x_y 5 9 -1 circle failed\n");
        assertThat(InvocationMark.read(file, "t1")).containsExactly(marks.get(0).toStored(),
                new InvocationMark("x_y", 5, 9, -1, "circle", "failed"));

        Files.writeString(file, "# a comment\nabc 10 20\n\nabd 10 30 77\n");
        assertThat(InvocationMark.read(file, "t1")).containsExactly(
                new InvocationMark("abc", 10, 20, -1, null, null), new InvocationMark("abd", 10, 30, 77, null, null));
        Files.writeString(file, "abc 30 20 1 f succeeded\n");
        assertThatThrownBy(() -> InvocationMark.read(file, "t1")).hasMessageStartingWith("t1:1: ")
                .hasMessageContaining("ends (20 ns) before it starts (30 ns)").hasMessageEndingWith(": \"abc 30 20 1 f succeeded\"");
    }
}
