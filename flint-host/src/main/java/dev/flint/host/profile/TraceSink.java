package dev.flint.host.profile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where recorded traces go: the trace store. {@link ProfileWindows} calls it once per recorded
 * window (and once per on-demand profile), on a virtual thread.
 */
public interface TraceSink {

    /**
     * Stores one trace and returns its id.
     *
     * @param perfScriptFile {@code perf script --header} text; the sink may move it (it is deleted
     *                       after this returns if it is still there)
     * @param labels         what the trace is of; keys in {@link ProfileLabels}
     * @param marks          the invocations that ran during the trace (ordered by start), for its
     *                       {@code <id>.invocations} file ({@link InvocationMarks.Mark#toStored()}); a
     *                       mark's pid is -1 (any) when the handler ran as several processes
     * @throws NoSamples when the trace holds no sample (nothing is stored)
     */
    String store(Path perfScriptFile, Map<String, String> labels, List<InvocationMarks.Mark> marks) throws Exception;

    /** The recording holds no sample (an idle handler), so there is nothing to store. */
    final class NoSamples extends Exception {
        public NoSamples(String message) {
            super(message);
        }
    }
}
