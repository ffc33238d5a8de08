package dev.flint.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The request a target is sent: method, URL (a {@link Template}), headers, and a body that is either
 * fixed bytes or a template.
 *
 * @param url the URL, {@code http://host[:port]/path[?query]}; its fields may vary in the path and query
 * @param method the HTTP method, e.g. {@code GET}
 * @param headers extra headers, each {@code Name: value}; a {@code Host} header replaces the URL's
 * @param body fixed body bytes, or null
 * @param bodyTemplate a body with varying fields (sent as UTF-8), or null; not with {@code body}
 * @param variants how many distinct requests to render when the URL or body varies (1 when nothing varies)
 */
public record RequestSpec(String url, String method, List<String> headers, byte[] body, String bodyTemplate,
        int variants) {

    /** The most variants rendered in advance. */
    public static final int MAX_VARIANTS = 100_000;

    public RequestSpec {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        headers = List.copyOf(headers);
        if (body != null && bodyTemplate != null) {
            throw new IllegalArgumentException("give a body or a body template, not both");
        }
        if (!method.matches("[A-Za-z!#$%&'*+.^_`|~0-9-]+")) {
            throw new IllegalArgumentException("\"" + method + "\" is not an HTTP method");
        }
        for (String header : headers) {
            int colon = header.indexOf(':');
            if (colon <= 0 || !header.substring(0, colon).trim().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")
                    || header.indexOf('\r') >= 0 || header.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a header must be 'Name: value', not \"" + header + "\"");
            }
        }
        if (variants < 1 || variants > MAX_VARIANTS) {
            throw new IllegalArgumentException("the number of request variants must be from 1 to " + MAX_VARIANTS);
        }
    }

    /** A plain request: {@code method url}, no headers, no body. */
    public static RequestSpec of(String method, String url) {
        return new RequestSpec(url, method, List.of(), null, null, 1);
    }

    public RequestSpec withHeaders(List<String> extra) {
        return new RequestSpec(url, method, extra, body, bodyTemplate, variants);
    }

    public RequestSpec withBody(byte[] bytes) {
        return new RequestSpec(url, method, headers, bytes, null, variants);
    }

    public RequestSpec withBodyTemplate(String template) {
        return new RequestSpec(url, method, headers, null, template, variants);
    }

    public RequestSpec withVariants(int count) {
        return new RequestSpec(url, method, headers, body, bodyTemplate, count);
    }

    /** The method in capitals, as sent. */
    public String normalizedMethod() {
        return method.toUpperCase(Locale.ROOT);
    }

    /** Checks the URL and the templates without encoding anything; throws {@link IllegalArgumentException}. */
    public void validate() {
        Template urlTemplate = Template.parse(url);
        if (bodyTemplate != null) {
            Template.parse(bodyTemplate);
        }
        target(urlTemplate.render(0, RandomGenerator.of("L64X128MixRandom")));
    }

    /**
     * Renders and encodes the requests, once, into buffers of {@code allocator}: one when nothing
     * varies, else {@link #variants()}; random fields are drawn from {@code random}.
     */
    EncodedRequests encode(ByteBufAllocator allocator, RandomGenerator random) {
        Template urlTemplate = Template.parse(url);
        Template bodyText = bodyTemplate == null ? null : Template.parse(bodyTemplate);
        boolean varies = urlTemplate.varies() || (bodyText != null && bodyText.varies());
        int count = varies ? variants : 1;
        ByteBuf[] encoded = new ByteBuf[count];
        URI first = null;
        try {
            for (int i = 0; i < count; i++) {
                URI uri = target(urlTemplate.render(i, random));
                if (first == null) {
                    first = uri;
                } else if (!Objects.equals(uri.getHost(), first.getHost()) || port(uri) != port(first)) {
                    throw new IllegalArgumentException("the varying fields of the URL must be in its path or query,"
                            + " not in its host or port");
                }
                byte[] bytes = bodyText != null ? bodyText.render(i, random).getBytes(StandardCharsets.UTF_8) : body;
                byte[] request = encode(uri, bytes);
                encoded[i] = allocator.directBuffer(request.length).writeBytes(request);
            }
        } catch (RuntimeException e) {
            for (ByteBuf buf : encoded) {
                if (buf != null) {
                    buf.release();
                }
            }
            throw e;
        }
        String host = first.getHost().startsWith("[") ? first.getHost().substring(1, first.getHost().length() - 1)
                : first.getHost();
        return new EncodedRequests(encoded, new InetSocketAddress(host, port(first)),
                normalizedMethod().equals("HEAD"));
    }

    private byte[] encode(URI uri, byte[] bodyBytes) {
        StringBuilder head = new StringBuilder(128);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        head.append(normalizedMethod()).append(' ').append(path);
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        head.append(" HTTP/1.1\r\n");
        boolean hostGiven = false;
        boolean lengthGiven = false;
        for (String header : headers) {
            String name = header.substring(0, header.indexOf(':')).trim();
            hostGiven |= name.equalsIgnoreCase("host");
            lengthGiven |= name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding");
        }
        if (!hostGiven) {
            head.append("Host: ").append(uri.getRawAuthority()).append("\r\n");
        }
        for (String header : headers) {
            int colon = header.indexOf(':');
            head.append(header, 0, colon).append(": ").append(header.substring(colon + 1).trim()).append("\r\n");
        }
        boolean sendsBody = bodyBytes != null || switch (normalizedMethod()) {
            case "POST", "PUT", "PATCH" -> true;
            default -> false;
        };
        if (sendsBody && !lengthGiven) {
            head.append("Content-Length: ").append(bodyBytes == null ? 0 : bodyBytes.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + (bodyBytes == null ? 0 : bodyBytes.length));
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (bodyBytes != null) {
            out.writeBytes(bodyBytes);
        }
        return out.toByteArray();
    }

    private static URI target(String rendered) {
        URI uri;
        try {
            uri = new URI(rendered);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"" + rendered + "\" is not a URL: " + e.getReason());
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("\"" + rendered + "\" is not an http:// URL with a host");
        }
        if (uri.getScheme().equalsIgnoreCase("https")) {
            throw new IllegalArgumentException("https is not supported: flint bench speaks plain HTTP/1.1 (" + rendered + ")");
        }
        if (!uri.getScheme().equalsIgnoreCase("http")) {
            throw new IllegalArgumentException("\"" + rendered + "\" is not an http:// URL");
        }
        return uri;
    }

    private static int port(URI uri) {
        return uri.getPort() < 0 ? 80 : uri.getPort();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RequestSpec r && url.equals(r.url) && method.equals(r.method) && headers.equals(r.headers)
                && java.util.Arrays.equals(body, r.body) && Objects.equals(bodyTemplate, r.bodyTemplate)
                && variants == r.variants;
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, method, headers, java.util.Arrays.hashCode(body), bodyTemplate, variants);
    }

    @Override
    public String toString() {
        return normalizedMethod() + " " + url;
    }
}
