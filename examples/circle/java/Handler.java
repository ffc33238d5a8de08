// Area of a circle: an Azure Functions custom handler in Java (JDK only, Java 17+).
//
// host.json turns on forwarding mode, so the Functions host passes each caller's request
// through unchanged, on its original path:
//
//   GET|POST /api/circle?radius=2        or   POST /api/circle  {"radius": 2}
//   -> 200 {"radius":2.0,"area":12.566370614359172}
//   -> 400 {"error":"..."} for a missing or bad radius
//
// The host starts `java -cp bin Handler` with the port to listen on in FUNCTIONS_CUSTOMHANDLER_PORT.
// com.sun.net.httpserver already does keep-alive and decodes chunked request bodies.

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class Handler {
    static final String FUNCTION_PATH = "/api/circle"; // routePrefix "api" + function name
    static final int MAX_BODY = 1 << 20;
    // Same rule as the other languages of this example: parseDouble alone would also take
    // "NaN", "Infinity", "0x1p4" and "2d".
    static final Pattern NUMBER_TEXT = Pattern.compile("[0-9+\\-.eE]+");

    static final String MISSING = "missing radius: use ?radius=R or a JSON body {\"radius\": R}";
    static final String NOT_A_NUMBER = "radius must be a number";
    static final String BAD_JSON = "body must be a JSON object such as {\"radius\": 2}";

    /** A client error, answered with {@code status} and {"error": message}. */
    static final class BadRequest extends Exception {
        final int status;

        BadRequest(String message) {
            this(400, message);
        }

        BadRequest(int status, String message) {
            super(message, null, false, false); // no stack trace: this is an answer, not a bug
            this.status = status;
        }
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(firstNonEmpty(
                System.getenv("FUNCTIONS_CUSTOMHANDLER_PORT"), System.getenv("FUNCTIONS_HTTPWORKER_PORT"), "8080"));
        // TCP_NODELAY: HttpServer writes the headers and the body separately; with Nagle's algorithm
        // on, the body waits for the host's (delayed) ACK of the headers, about 40 ms per request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", Handler::handle);
        // Idle keep-alive connections wait in the server's selector, not on a thread, so a
        // small pool is enough for short CPU-bound requests. (On Java 21+,
        // Executors.newVirtualThreadPerTaskExecutor() would suit blocking work better.)
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.start();
        System.out.println("circle handler listening on http://127.0.0.1:" + port);
    }

    static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            // Read the body first, even when it is not needed, so that the connection can be reused.
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                // The rest of the body is unread, so this connection cannot be reused.
                exchange.getResponseHeaders().set("Connection", "close");
                reply(exchange, 413, error("request body too large"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/")) {
                reply(exchange, 200, null); // the host's readiness probe: any answer will do
            } else if (path.toLowerCase(Locale.ROOT).equals(FUNCTION_PATH)) {
                // The host matches routes case-insensitively and forwards the path as the caller wrote it.
                try {
                    double radius = parseRadius(exchange.getRequestURI().getRawQuery(), body);
                    reply(exchange, 200, circle(radius));
                } catch (BadRequest e) {
                    reply(exchange, e.status, error(e.getMessage()));
                }
            } else {
                reply(exchange, 404, error("not found"));
            }
        }
    }

    /** The radius from ?radius=R if given, otherwise from a JSON body {"radius": R}. */
    static double parseRadius(String rawQuery, byte[] body) throws BadRequest {
        String text = queryParameter(rawQuery, "radius");
        if (text != null) {
            if (!NUMBER_TEXT.matcher(text).matches()) throw new BadRequest(NOT_A_NUMBER);
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new BadRequest(NOT_A_NUMBER);
            }
        }
        String json = new String(body, StandardCharsets.UTF_8);
        if (json.isBlank()) throw new BadRequest(MISSING);
        Object doc;
        try {
            doc = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(BAD_JSON);
        }
        if (!(doc instanceof Map)) throw new BadRequest(BAD_JSON);
        Map<?, ?> object = (Map<?, ?>) doc;
        if (!object.containsKey("radius")) throw new BadRequest(MISSING);
        if (!(object.get("radius") instanceof Double)) throw new BadRequest(NOT_A_NUMBER);
        return (Double) object.get("radius");
    }

    static String circle(double radius) throws BadRequest {
        if (radius < 0) throw new BadRequest("radius must not be negative");
        double area = Math.PI * radius * radius;
        if (Double.isInfinite(area)) throw new BadRequest("radius is too large");
        // Double.toString gives enough digits to read back the exact double, and is valid JSON
        // for finite values (e.g. 12.566370614359172, 1.0E-5).
        return "{\"radius\":" + radius + ",\"area\":" + area + "}";
    }

    /** The first value of a query parameter, decoded, or null if it is absent. */
    static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) return null;
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static String error(String message) {
        return "{\"error\":" + Json.quote(message) + "}";
    }

    static void reply(HttpExchange exchange, int status, String json) throws IOException {
        if (json == null) {
            exchange.sendResponseHeaders(status, -1); // -1: no body. (0 would mean chunked!)
            return;
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static String firstNonEmpty(String... values) {
        for (String value : values) {
            if (value != null && !value.isEmpty()) return value;
        }
        throw new IllegalArgumentException("no value");
    }

    /**
     * A minimal JSON parser, since the JDK has none. Objects become Maps, arrays Lists,
     * numbers Doubles, and null, true and false their Java counterparts.
     */
    static final class Json {
        private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
        private final String text;
        private int pos;

        private Json(String text) {
            this.text = text;
        }

        /** Parses a whole document, throwing IllegalArgumentException if it is not valid JSON. */
        static Object parse(String text) {
            Json parser = new Json(text);
            try {
                Object value = parser.value();
                parser.skipWhitespace();
                if (parser.pos != text.length()) throw parser.error();
                return value;
            } catch (IndexOutOfBoundsException e) { // ran off the end of the text
                throw parser.error();
            }
        }

        static String quote(String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') out.append('\\').append(c);
                else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                else out.append(c);
            }
            return out.append('"').toString();
        }

        private Object value() {
            skipWhitespace();
            char c = text.charAt(pos);
            switch (c) {
                case '{': return object();
                case '[': return array();
                case '"': return string();
                case 't': return literal("true", Boolean.TRUE);
                case 'f': return literal("false", Boolean.FALSE);
                case 'n': return literal("null", null);
                default: return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            expect('{');
            skipWhitespace();
            if (text.charAt(pos) == '}') {
                pos++;
                return map;
            }
            do {
                skipWhitespace();
                String key = string();
                skipWhitespace();
                expect(':');
                map.put(key, value());
                skipWhitespace();
            } while (text.charAt(pos++) == ',');
            if (text.charAt(pos - 1) != '}') throw error();
            return map;
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            expect('[');
            skipWhitespace();
            if (text.charAt(pos) == ']') {
                pos++;
                return list;
            }
            do {
                list.add(value());
                skipWhitespace();
            } while (text.charAt(pos++) == ',');
            if (text.charAt(pos - 1) != ']') throw error();
            return list;
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            for (char c = text.charAt(pos++); c != '"'; c = text.charAt(pos++)) {
                if (c < 0x20) throw error(); // control characters must be escaped
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escape = text.charAt(pos++);
                switch (escape) {
                    case '"': case '\\': case '/': out.append(escape); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'n': out.append('\n'); break;
                    case 'r': out.append('\r'); break;
                    case 't': out.append('\t'); break;
                    case 'u':
                        String hex = text.substring(pos, pos + 4);
                        if (!hex.matches("[0-9a-fA-F]{4}")) throw error();
                        out.append((char) Integer.parseInt(hex, 16)); // surrogate pairs come as two escapes
                        pos += 4;
                        break;
                    default: throw error();
                }
            }
            return out.toString();
        }

        private Double number() {
            Matcher m = NUMBER.matcher(text).region(pos, text.length());
            if (!m.lookingAt()) throw error();
            pos = m.end();
            return Double.valueOf(m.group()); // beyond the double range gives Infinity
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) throw error();
            pos += word.length();
            return value;
        }

        private void expect(char c) {
            if (text.charAt(pos++) != c) throw error();
        }

        private void skipWhitespace() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) pos++;
        }

        private IllegalArgumentException error() {
            return new IllegalArgumentException("invalid JSON at offset " + pos);
        }
    }
}
