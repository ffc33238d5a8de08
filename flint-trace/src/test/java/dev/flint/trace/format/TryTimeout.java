package dev.flint.trace.format;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AroundTryHook;
import net.jqwik.api.lifecycle.TryExecutionResult;
import net.jqwik.api.lifecycle.TryExecutor;
import net.jqwik.api.lifecycle.TryLifecycleContext;

/**
 * Fails a jqwik try that runs longer than {@link #millis()}, and does not wait for it: the try runs
 * on its own daemon thread, so a parser that hangs fails the property instead of the build.
 * (jqwik has no timeout of its own, and JUnit's {@code @Timeout} does not reach properties.)
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@AddLifecycleHook(TryTimeout.Hook.class)
@interface TryTimeout {

    long millis();

    final class Hook implements AroundTryHook {

        @Override
        public TryExecutionResult aroundTry(TryLifecycleContext context, TryExecutor aTry, List<Object> parameters)
                throws Throwable {
            long millis = context.findAnnotation(TryTimeout.class).map(TryTimeout::millis).orElse(10_000L);
            FutureTask<TryExecutionResult> task = new FutureTask<>(() -> aTry.execute(parameters));
            Thread thread = new Thread(task, "try of " + context.label());
            thread.setDaemon(true);
            thread.start();
            try {
                return task.get(millis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                thread.interrupt();
                return TryExecutionResult.falsified(new AssertionError(
                        "the try took more than " + millis + " ms with " + parameters));
            } catch (ExecutionException e) {
                throw e.getCause();
            }
        }
    }
}
