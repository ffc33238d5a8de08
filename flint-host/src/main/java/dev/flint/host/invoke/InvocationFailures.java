package dev.flint.host.invoke;

/** Turns whatever a future failed with into an {@link InvocationFailure}. */
final class InvocationFailures {

    private InvocationFailures() {}

    static InvocationFailure of(Throwable error) {
        if (error instanceof InvocationFailure failure) {
            return failure;
        }
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return new InvocationFailure(FailureKind.HANDLER_UNREACHABLE, message, error);
    }
}
