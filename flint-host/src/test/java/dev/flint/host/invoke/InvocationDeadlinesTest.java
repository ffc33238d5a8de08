package dev.flint.host.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flint.host.app.FunctionDefinition;
import dev.flint.host.app.HttpMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InvocationDeadlinesTest {

    private static final FunctionDefinition FN = new FunctionDefinition("f", Path.of("f/function.json"), false,
            Optional.empty(), List.of(), Optional.empty(), HttpMode.ENVELOPE);
    private static final long SECOND = 1_000_000_000L;

    private final InvocationDeadlines deadlines = new InvocationDeadlines(Optional.of(Duration.ofSeconds(1)));
    private final List<String> expired = new ArrayList<>();

    private InvocationTimer start(String name, long startNanos) {
        InvocationTimer timer = deadlines.start(new Invocation(name, FN, startNanos));
        timer.onTimeout(failure -> expired.add(name + ": " + failure.kind().code()));
        return timer;
    }

    @Test
    void invocationsExpireInStartOrderOnceTheirTimeoutHasPassed() {
        start("a", 0);
        start("b", SECOND / 2);
        start("c", SECOND);

        deadlines.expire(SECOND - 1);
        assertThat(expired).isEmpty();
        deadlines.expire(SECOND + SECOND / 2);
        assertThat(expired).containsExactly("a: timeout", "b: timeout");
        assertThat(deadlines.size()).isEqualTo(1);
    }

    @Test
    void aCompletedInvocationLeavesTheListAndNeverExpires() {
        InvocationTimer a = start("a", 0);
        InvocationTimer b = start("b", 1);
        InvocationTimer c = start("c", 2);
        b.cancel();
        a.cancel();
        b.cancel(); // twice is harmless

        deadlines.expire(10 * SECOND);

        assertThat(expired).containsExactly("c: timeout");
        assertThat(c.expired()).isTrue();
        assertThat(a.expired()).isFalse();
        assertThat(deadlines.size()).isZero();
    }

    @Test
    void withoutATimeoutNothingIsTracked() {
        InvocationDeadlines unlimited = new InvocationDeadlines(Optional.empty());
        InvocationTimer timer = unlimited.start(new Invocation("x", FN, 0));
        unlimited.expire(Long.MAX_VALUE / 2);
        assertThat(timer.expired()).isFalse();
        assertThat(unlimited.size()).isZero();
        timer.cancel();
    }
}
