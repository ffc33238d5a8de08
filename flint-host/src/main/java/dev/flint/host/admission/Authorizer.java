package dev.flint.host.admission;

import dev.flint.host.app.AuthLevel;
import dev.flint.host.auth.AccessKeys;
import dev.flint.host.auth.Grant;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * Decides whether a request's key reaches what it asks for, as Azure's
 * {@code AuthenticationLevelHandler} does: the key comes from the {@code x-functions-key} header or
 * the {@code code} query parameter (the header wins); the master key gives Admin, a system key
 * System, a host key or a key of the function Function; the request passes when its level is at
 * least the one required.
 *
 * <p>When keys are not enforced (Flint on loopback without {@code --enable-auth}), every request is
 * Admin, as under {@code func start}. An anonymous function is not checked, but a key it is sent
 * still sets the caller's level, which the handler sees in {@code Identities}.
 */
public final class Authorizer {

    public static final String KEY_HEADER = "x-functions-key";
    public static final String KEY_PARAMETER = "code";

    private static final Access EVERYONE_IS_ADMIN = new Access(new Grant(AuthLevel.ADMIN, null), null);
    private static final Access ANONYMOUS = new Access(Grant.anonymous(), null);

    private final boolean enforced;
    private final Supplier<AccessKeys> keys;

    /** @param keys the current keys; read on every checked request, so it must be cheap (a volatile read) */
    public Authorizer(boolean enforced, Supplier<AccessKeys> keys) {
        this.enforced = enforced;
        this.keys = keys;
    }

    public boolean enforced() {
        return enforced;
    }

    /**
     * The access of a request to a function ({@code function} null for the host's own endpoints).
     *
     * @param required the level it needs: the trigger's {@code authLevel}, or Admin for the admin API
     */
    public Access check(HttpServerRequest request, String function, AuthLevel required) {
        if (!enforced) {
            return EVERYONE_IS_ADMIN;
        }
        String presented = presentedKey(request);
        if (presented == null) {
            return required == AuthLevel.ANONYMOUS ? ANONYMOUS
                    : new Access(Grant.anonymous(), "the request carried no key (header " + KEY_HEADER
                            + " or query parameter " + KEY_PARAMETER + ")");
        }
        Grant grant = keys.get().grant(presented, function);
        if (grant.level().compareTo(required) >= 0) {
            return new Access(grant, null);
        }
        String denial = grant.level() == AuthLevel.ANONYMOUS
                ? (function == null ? "the request's key is not the master key"
                        : "the request's key is none of function " + function + "'s keys, no host key and not the master key")
                : "the request's key (" + grant.keyName() + ") gives " + grant.level().wireName() + " access, not "
                        + required.wireName();
        return new Access(grant, denial);
    }

    /** The header wins over the query parameter; an empty value is no key. */
    private static String presentedKey(HttpServerRequest request) {
        String key = request.getHeader(KEY_HEADER);
        if (key == null || key.isEmpty()) {
            key = request.query() == null ? null : request.getParam(KEY_PARAMETER);
        }
        return key == null || key.isEmpty() ? null : key;
    }

    /**
     * @param grant  what the key gives
     * @param denial why the request is refused, naming what was missing but never the key; null when it passes
     */
    public record Access(Grant grant, String denial) {
        public boolean allowed() {
            return denial == null;
        }
    }
}
