package dev.flint.host.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of every key, built once per change and read on every request.
 *
 * <p>{@link #grant} runs on the event loop, so everything it needs is computed here: the SHA-256
 * digest of each value, the grant each key gives, and which keys can apply to a function (the
 * master, system and host keys, and that function's own). Comparing digests instead of values makes
 * every comparison the same length; comparing against every key that can apply, without stopping,
 * makes the time independent of which key matched or how long a prefix did. It depends only on how
 * many keys the called function has, which is no secret, and not on how many functions the app has.
 */
public final class AccessKeys {

    private static final Comparator<AccessKey> ORDER = Comparator.comparing(AccessKey::scope)
            .thenComparing(AccessKey::function, Comparator.nullsFirst(String.CASE_INSENSITIVE_ORDER))
            .thenComparing(AccessKey::name, String.CASE_INSENSITIVE_ORDER);

    /** Cloned per {@link #grant}: cheaper than a provider lookup, and a prototype that is never updated is safe to share. */
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e); // every Java platform must have SHA-256
        }
    }

    private final List<AccessKey> all;
    private final byte[][] digests;
    /** The function each key is limited to, or null for keys that apply to every function. */
    private final String[] functions;
    private final Grant[] grants;
    /** The keys that apply to every function (master, system, host), by index. */
    private final int[] shared;
    /** Each function's own keys, by index; names compare ignoring case, as Azure's function names do. */
    private final java.util.TreeMap<String, int[]> own = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private AccessKeys(List<AccessKey> all) {
        this.all = all;
        int n = all.size();
        digests = new byte[n][];
        functions = new String[n];
        grants = new Grant[n];
        for (int i = 0; i < n; i++) {
            AccessKey key = all.get(i);
            digests[i] = digest(key.value());
            functions[i] = key.function();
            grants[i] = new Grant(key.scope().level(), key.name());
        }
        shared = java.util.stream.IntStream.range(0, n).filter(i -> functions[i] == null).toArray();
        for (int i = 0; i < n; i++) {
            if (functions[i] != null) {
                int[] before = own.getOrDefault(functions[i], new int[0]);
                int[] after = java.util.Arrays.copyOf(before, before.length + 1);
                after[before.length] = i;
                own.put(functions[i], after);
            }
        }
    }

    /** @throws IllegalArgumentException when two keys have the same scope, function and name (case-insensitively) */
    public static AccessKeys of(Collection<AccessKey> keys) {
        List<AccessKey> sorted = KeyTable.of(keys).keys();
        sorted.sort(ORDER);
        return new AccessKeys(List.copyOf(sorted));
    }

    /** Every key: master, system, host, then function keys by function; each group by name. */
    public List<AccessKey> all() {
        return all;
    }

    public Optional<AccessKey> master() {
        return all.stream().filter(k -> k.scope() == KeyScope.MASTER).findFirst();
    }

    /** The keys of one scope, by name; {@code function} (case-insensitive) matters only for {@link KeyScope#FUNCTION}. */
    public List<AccessKey> keys(KeyScope scope, String function) {
        return all.stream()
                .filter(k -> k.scope() == scope && (scope != KeyScope.FUNCTION || k.function().equalsIgnoreCase(function)))
                .toList();
    }

    /**
     * The highest level {@code presentedKey} gives for {@code functionName}: the master key gives
     * Admin, a system key System, a host key or a key of this very function Function; anything
     * else, including no key, is anonymous.
     *
     * @param functionName the function called, case-insensitive; {@code null} for host-level
     *                     endpoints, where function keys give nothing
     */
    public Grant grant(String presentedKey, String functionName) {
        if (presentedKey == null || presentedKey.isEmpty()) {
            return Grant.anonymous();
        }
        byte[] presented = digest(presentedKey);
        Grant best = best(shared, presented, Grant.anonymous());
        int[] ofFunction = functionName == null ? null : own.get(functionName);
        return ofFunction == null ? best : best(ofFunction, presented, best);
    }

    /** The highest grant among {@code candidates} that match, comparing every one of them. */
    private Grant best(int[] candidates, byte[] presented, Grant best) {
        for (int i : candidates) {
            boolean matches = MessageDigest.isEqual(digests[i], presented);
            boolean higher = grants[i].level().compareTo(best.level()) > 0;
            if (matches & higher) {
                best = grants[i];
            }
        }
        return best;
    }

    private static byte[] digest(String value) {
        try {
            return ((MessageDigest) SHA_256.clone()).digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the SHA-256 implementation cannot be cloned", e);
        }
    }

    @Override
    public String toString() {
        return "AccessKeys" + all;
    }
}
