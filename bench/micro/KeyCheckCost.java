import dev.flint.host.auth.AccessKey;
import dev.flint.host.auth.AccessKeys;
import dev.flint.host.auth.KeyScope;
import java.util.ArrayList;
import java.util.List;

/**
 * What the key check costs per request, outside the request path: {@code AccessKeys.grant} (SHA-256 of
 * the presented key, then a constant-time compare against every key's digest) on one thread, for a
 * key table like a small app's (master, host "default", one function key per function) of 1 and 20
 * functions. Prints nanoseconds per call, the median of 5 one-second runs after a 3 s warm-up.
 *
 * Not a test and not JMH: a plain timing loop, good to a few tens of nanoseconds. Run by hand:
 *   javac -cp flint-host/target/classes -d /tmp/kcc bench/micro/KeyCheckCost.java
 *   java -cp flint-host/target/classes:/tmp/kcc KeyCheckCost
 */
public final class KeyCheckCost {

    private static volatile int sink;

    public static void main(String[] args) {
        for (int functions : new int[] {1, 20}) {
            List<AccessKey> keys = new ArrayList<>();
            keys.add(new AccessKey(KeyScope.MASTER, null, AccessKey.MASTER_NAME, "h5owXzhWCk4l9cixQrBDxkJuYYHotomNI_50TzokfQw"));
            keys.add(new AccessKey(KeyScope.HOST, null, "default", "St-i5j-OZbZ8J7itQ08ZHybBciclb4pfDLdDn7FC3cY"));
            for (int i = 0; i < functions; i++) {
                keys.add(new AccessKey(KeyScope.FUNCTION, "fn" + i, "default",
                        String.format("rZ3vShPrAHN4SvZfkZTUCtyQ_oPuJbzeV_bEHBK%04d", i)));
            }
            AccessKeys table = AccessKeys.of(keys);
            String presented = "St-i5j-OZbZ8J7itQ08ZHybBciclb4pfDLdDn7FC3cY"; // the host key, as the benchmark sends
            run(table, presented, 3_000_000_000L);
            long[] ns = new long[5];
            for (int i = 0; i < ns.length; i++) {
                ns[i] = run(table, presented, 1_000_000_000L);
            }
            java.util.Arrays.sort(ns);
            System.out.printf("%d keys (%d functions): %d ns per grant (runs: %s)%n", keys.size(), functions, ns[2],
                    java.util.Arrays.toString(ns));
        }
    }

    /** Calls grant for about {@code nanos}; returns nanoseconds per call. */
    private static long run(AccessKeys table, String presented, long nanos) {
        long start = System.nanoTime(), calls = 0, now;
        int acc = 0;
        do {
            for (int i = 0; i < 1000; i++) {
                acc += table.grant(presented, "fn0").level().ordinal();
            }
            calls += 1000;
            now = System.nanoTime();
        } while (now - start < nanos);
        sink = acc;
        return (now - start) / calls;
    }
}
