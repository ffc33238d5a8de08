package dev.flint.host.invoke;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * How Flint introduces itself to handlers. Handlers are written for the Azure host, so they see a
 * 4.x host version, as under {@code func start}; the User-Agent names Flint besides.
 */
public final class HostIdentity {

    public static final String HOST_VERSION;
    public static final String FLINT_VERSION;
    public static final String USER_AGENT;

    static {
        Properties p = new Properties();
        try (InputStream in = HostIdentity.class.getResourceAsStream("/flint-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall back to the defaults below
        }
        HOST_VERSION = p.getProperty("hostVersion", "4.1037.0");
        FLINT_VERSION = p.getProperty("flintVersion", "dev");
        USER_AGENT = "Azure-Functions-Host/" + HOST_VERSION + " Flint/" + FLINT_VERSION;
    }

    private HostIdentity() {}
}
