package dev.flint.host.http;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The front door's CORS policy: what {@code func start --cors a,b [--cors-credentials]} and
 * local.settings.json {@code Host.CORS} / {@code Host.CORSCredentials} configure. Azure Functions Core
 * Tools hands those to ASP.NET Core's CORS middleware as {@code WithOrigins(a, b)} (any origin for
 * {@code *}), {@code AllowAnyHeader()}, {@code AllowAnyMethod()} and, with credentials,
 * {@code AllowCredentials()}; this class gives the same answers (ASP.NET's {@code CorsService}, which
 * follows the Fetch standard's CORS protocol) without Vert.x types, so the front door sets the headers
 * it is handed and the tests collect them into a map.
 *
 * <h2>What the front door does with it</h2>
 * <ul>
 *   <li>{@link #isPreflight} true: answer 204 with no body, whatever the path (the function never sees
 *       it), with the headers {@link #preflight} hands over. Those are all {@code Access-Control-*} or
 *       {@code Vary} and the response has no others to merge with.</li>
 *   <li>Any other request: forward it as usual, and on its response set what {@link #actual} hands over
 *       ({@code Access-Control-*} replace what the handler sent; {@code Vary: Origin} is to be
 *       <em>added</em> to the handler's {@code Vary}, not replace it).</li>
 *   <li>{@link #enabled()} false (no origins configured): CORS is off, skip both; an OPTIONS request then
 *       goes to the function like any other.</li>
 * </ul>
 *
 * <h2>Answers</h2>
 * An origin is allowed when it is one of the configured ones, compared case-insensitively (ASCII) on
 * the whole {@code scheme://host[:port]}, which is case-insensitive on scheme and host and exact on the
 * port; or, for {@code *}, any non-empty origin. A request with no {@code Origin}, an empty one, or one
 * not allowed gets nothing at all: a server that does not take part in the CORS protocol sends none
 * of its headers, so the browser withholds the response (ASP.NET does the same). An allowed origin
 * gets:
 * <ul>
 *   <li>{@code Access-Control-Allow-Origin}: {@code *} when the policy is {@code *} and credentials are
 *       off (the same for every origin, so no {@code Vary}); otherwise the request's {@code Origin},
 *       echoed as sent, with {@code Vary: Origin} since the answer then depends on it (ASP.NET adds
 *       {@code Vary} only when more than one origin is configured; a shared cache could otherwise hand
 *       one origin's answer to another, or a no-CORS answer to an allowed origin).</li>
 *   <li>{@code Access-Control-Allow-Credentials: true} when credentials are on.</li>
 *   <li>On a preflight only: {@code Access-Control-Allow-Methods} echoing the
 *       {@code Access-Control-Request-Method}, {@code Access-Control-Allow-Headers} echoing
 *       {@code Access-Control-Request-Headers} when it has any (that is what "any method" and "any
 *       header" amount to, and unlike {@code *} it also works with credentials), and
 *       {@code Access-Control-Max-Age} (see {@link #MAX_AGE_SECONDS}).</li>
 *   <li>No {@code Access-Control-Expose-Headers}: {@code AllowAnyHeader()} says nothing about exposed
 *       headers, so, as under {@code func start}, a page can read only the CORS-safelisted response
 *       headers.</li>
 * </ul>
 *
 * <h2>Configuration</h2>
 * {@link #parse} reads each entry into the form browsers send (see {@link CorsOrigins}): surrounding
 * blanks and one trailing slash dropped ({@code http://a.com/} is {@code http://a.com}), scheme and host
 * in lower case, a default port dropped ({@code https://a.com:443} is {@code https://a.com}, which is
 * what the browser sends), international host names in their {@code xn--} form, IPv6 addresses in
 * their shortest form. Any scheme is accepted ({@code capacitor://localhost}, {@code chrome-extension://id}),
 * and so is {@code null}, the origin of pages opened from files and of sandboxed frames. Empty entries
 * are skipped, duplicates kept once. Differences from {@code func start}, on purpose:
 * <ul>
 *   <li>An entry that is not an origin ({@code example.com}, {@code http://a.com/path}) is an error naming
 *       the entry; ASP.NET keeps it and it never matches.</li>
 *   <li>{@code *} among other origins means any origin; ASP.NET treats {@code *} as "any" only alone.</li>
 *   <li>{@code *} with credentials allows any origin by echoing it. ASP.NET throws on every request
 *       with that combination (the Fetch standard forbids {@code Access-Control-Allow-Origin: *} with
 *       credentials), so the only setting that would work is a list of every origin; on a development
 *       host echoing is what whoever wrote {@code *} and {@code --cors-credentials} wants. It lets any
 *       site make credentialed calls, which {@link #describe()} says in the start-up banner.</li>
 * </ul>
 *
 * <h2>Cost</h2>
 * Instances are immutable and shared by every event loop. Per request: a length check and an ASCII
 * case-insensitive character comparison per configured origin, no lower-casing, no regular expressions,
 * no allocation (every value handed over is a constant or a request header's own string).
 */
public final class CorsPolicy {

    /**
     * How long a browser may cache a preflight answer: 600 seconds. ASP.NET sends no
     * {@code Access-Control-Max-Age} by default, which leaves browsers at 5 seconds, so a page making
     * non-simple calls (JSON bodies, custom headers, PUT, DELETE) pays a preflight round trip for almost
     * every call. A cached preflight cannot let a page read more than it otherwise could, since every
     * actual response is checked again ({@link #actual}); what it can do is let the browser keep sending
     * non-simple requests from an origin for this long after that origin was removed from the
     * configuration (the function runs, the page cannot read the answer). Ten minutes keeps that window
     * short while sparing nearly every preflight, and is below every browser's cap (Chrome 2 hours,
     * Firefox 24 hours), so it means the same everywhere.
     */
    public static final int MAX_AGE_SECONDS = 600;

    public static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
    public static final String ALLOW_CREDENTIALS = "Access-Control-Allow-Credentials";
    public static final String ALLOW_METHODS = "Access-Control-Allow-Methods";
    public static final String ALLOW_HEADERS = "Access-Control-Allow-Headers";
    public static final String MAX_AGE = "Access-Control-Max-Age";
    public static final String VARY = "Vary";

    private static final String MAX_AGE_VALUE = Integer.toString(MAX_AGE_SECONDS);
    private static final CorsPolicy OFF = new CorsPolicy(new String[0], false, false);

    /** Configured origins in the browser's form (lower case); empty for {@code *} and when off. */
    private final String[] origins;
    private final boolean anyOrigin;
    private final boolean credentials;
    /** {@code *} without credentials: the same {@code Access-Control-Allow-Origin: *} for everyone. */
    private final boolean staticWildcard;
    private final String description;

    private CorsPolicy(String[] origins, boolean anyOrigin, boolean credentials) {
        this.origins = origins;
        this.anyOrigin = anyOrigin;
        this.credentials = credentials;
        this.staticWildcard = anyOrigin && !credentials;
        this.description = describe(origins, anyOrigin, credentials);
    }

    /** No CORS: {@link #enabled()} is false and nothing is ever added. */
    public static CorsPolicy off() {
        return OFF;
    }

    /**
     * The policy for these configured origins (each {@code scheme://host[:port]}, {@code *} for any, or
     * {@code null}; blank entries skipped). No origins at all is {@link #off()}, whatever
     * {@code credentials} says, as under {@code func start}.
     *
     * @throws InvalidOriginsException naming every entry that is not an origin, all at once
     */
    public static CorsPolicy parse(List<String> origins, boolean credentials) {
        Objects.requireNonNull(origins, "origins");
        Set<String> canonical = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        boolean any = false;
        for (String entry : origins) {
            String trimmed = entry == null ? "" : entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.equals("*")) {
                any = true;
                continue;
            }
            String origin = CorsOrigins.canonical(trimmed, problems);
            if (origin != null) {
                canonical.add(origin);
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidOriginsException(problems);
        }
        if (any) {
            return new CorsPolicy(new String[0], true, credentials);
        }
        if (canonical.isEmpty()) {
            return OFF;
        }
        return new CorsPolicy(canonical.toArray(String[]::new), false, credentials);
    }

    /**
     * {@link #parse(List, boolean)} of a comma-separated list, as {@code --cors} and
     * {@code Host.CORS} give it ({@code "http://a.com, https://b.com"}).
     */
    public static CorsPolicy parse(String commaSeparated, boolean credentials) {
        Objects.requireNonNull(commaSeparated, "commaSeparated");
        List<String> entries = new ArrayList<>();
        int start = 0;
        while (true) {
            int comma = commaSeparated.indexOf(',', start);
            entries.add(comma < 0 ? commaSeparated.substring(start) : commaSeparated.substring(start, comma));
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return parse(entries, credentials);
    }

    /** Whether CORS is on; when not, the front door adds nothing and answers OPTIONS like any request. */
    public boolean enabled() {
        return anyOrigin || origins.length > 0;
    }

    /** Whether any origin is allowed ({@code *} was configured). */
    public boolean allowsAnyOrigin() {
        return anyOrigin;
    }

    /** Whether credentialed requests are allowed ({@code Access-Control-Allow-Credentials: true}). */
    public boolean allowsCredentials() {
        return credentials;
    }

    /** The configured origins in the browser's form, in configuration order; empty for {@code *} or off. */
    public List<String> origins() {
        return List.of(origins);
    }

    /**
     * Whether a request is a CORS preflight, to be answered by {@link #preflight} with 204 and never
     * passed to the function: CORS on, method {@code OPTIONS} (in any case, as ASP.NET compares it), an
     * {@code Origin} header (even an empty one, which is then not allowed) and a non-empty
     * {@code Access-Control-Request-Method}. An OPTIONS request without those is an ordinary request.
     *
     * @param method the request's method
     * @param origin the {@code Origin} header, null when absent
     * @param requestMethod the {@code Access-Control-Request-Method} header, null when absent
     */
    public boolean isPreflight(String method, String origin, String requestMethod) {
        return origin != null
                && requestMethod != null
                && !requestMethod.isEmpty()
                && enabled()
                && method != null
                && asciiEqualsIgnoreCase("options", method);
    }

    /** Whether {@code origin} (an {@code Origin} header, null when absent) is allowed. */
    public boolean allows(String origin) {
        if (origin == null || origin.isEmpty()) {
            return false;
        }
        if (anyOrigin) {
            return true;
        }
        for (String allowed : origins) {
            if (asciiEqualsIgnoreCase(allowed, origin)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The headers of the 204 answer to a preflight (see {@link #isPreflight}); nothing when the origin is
     * not allowed, so the browser blocks the call. Handed to {@code header} as (name, value), each name
     * once: {@code Access-Control-Allow-Origin}, {@code Access-Control-Allow-Credentials} (credentials
     * on), {@code Access-Control-Allow-Methods}, {@code Access-Control-Allow-Headers} (when
     * {@code requestHeaders} has anything but blanks), {@code Access-Control-Max-Age}, {@code Vary}
     * (origin echoed).
     *
     * @param origin the {@code Origin} header
     * @param requestMethod the {@code Access-Control-Request-Method} header
     * @param requestHeaders the {@code Access-Control-Request-Headers} header, null when absent
     */
    public void preflight(String origin, String requestMethod, String requestHeaders,
            BiConsumer<String, String> header) {
        if (!allows(origin)) {
            return;
        }
        allowOrigin(origin, header);
        if (requestMethod != null && !requestMethod.isEmpty()) {
            header.accept(ALLOW_METHODS, requestMethod);
        }
        if (requestHeaders != null && !requestHeaders.isBlank()) {
            header.accept(ALLOW_HEADERS, requestHeaders.strip());
        }
        header.accept(MAX_AGE, MAX_AGE_VALUE);
        vary(header);
    }

    /**
     * The headers to put on the response to an actual (non-preflight) request with this {@code Origin};
     * nothing when it is null, empty or not allowed, or when CORS is off. Handed to {@code header} as
     * (name, value): {@code Access-Control-Allow-Origin}, {@code Access-Control-Allow-Credentials}
     * (credentials on), then {@code Vary: Origin} (origin echoed), which is to be added to any
     * {@code Vary} the handler sent rather than replace it.
     */
    public void actual(String origin, BiConsumer<String, String> header) {
        if (!allows(origin)) {
            return;
        }
        allowOrigin(origin, header);
        vary(header);
    }

    private void allowOrigin(String origin, BiConsumer<String, String> header) {
        header.accept(ALLOW_ORIGIN, staticWildcard ? "*" : origin);
        if (credentials) {
            header.accept(ALLOW_CREDENTIALS, "true");
        }
    }

    private void vary(BiConsumer<String, String> header) {
        if (!staticWildcard) {
            header.accept(VARY, "Origin");
        }
    }

    /**
     * One line for the start-up banner: {@code CORS: off}, {@code CORS: http://a.com, https://b.com},
     * {@code CORS: any origin (*)}, with {@code (credentials allowed)} when they are; for {@code *} with
     * credentials it says that every origin is echoed.
     */
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }

    private static String describe(String[] origins, boolean anyOrigin, boolean credentials) {
        if (anyOrigin) {
            return credentials
                    ? "CORS: any origin, echoed (credentials allowed, so any site can make credentialed calls)"
                    : "CORS: any origin (*)";
        }
        if (origins.length == 0) {
            return "CORS: off";
        }
        return "CORS: " + String.join(", ", origins) + (credentials ? " (credentials allowed)" : "");
    }

    /**
     * Whether {@code value} equals {@code lower} (all ASCII lower case) ignoring ASCII case. Only A-Z
     * fold: Unicode case folding would let, say, a Kelvin sign stand for a {@code k}.
     */
    private static boolean asciiEqualsIgnoreCase(String lower, String value) {
        int length = lower.length();
        if (value.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Configured CORS origins that are not origins. {@link #problems()} has one line per bad entry, each
     * naming it, such as {@code "example.com" is not an origin: it has no scheme; expected
     * scheme://host[:port], such as "https://example.com"}, to report against the setting it came from
     * ({@code --cors} or local.settings.json {@code $.Host.CORS}); the message joins them.
     */
    public static final class InvalidOriginsException extends IllegalArgumentException {

        private final List<String> problems;

        InvalidOriginsException(List<String> problems) {
            super(String.join("\n", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
