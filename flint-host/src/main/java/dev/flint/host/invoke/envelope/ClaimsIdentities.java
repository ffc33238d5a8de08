package dev.flint.host.invoke.envelope;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.flint.host.app.AuthLevel;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code Data.<req>.Identities}: the caller's {@code ClaimsIdentity} list as Newtonsoft serializes it
 * ({@code HttpRequestExtensions.GetUserIdentitiesAsJArray}, §5.2). A key-authenticated caller has one
 * identity of type {@code WebJobsAuthLevel} carrying the auth-level claim; the JSON is the captured
 * local payload of §5.4 with the level as a parameter. An anonymous caller has ASP.NET Core's empty,
 * unauthenticated identity (code reading: {@code AuthenticationLevelHandler} adds no identity then).
 * The arrays never change, so each is encoded once and written as raw bytes.
 */
final class ClaimsIdentities {

    static final String AUTH_LEVEL_CLAIM = "http://schemas.microsoft.com/2017/07/functions/claims/authlevel";
    private static final String NAME_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";
    private static final String ROLE_CLAIM = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    private static final String STRING_TYPE = "http://www.w3.org/2001/XMLSchema#string";
    private static final String ISSUER = "LOCAL AUTHORITY";

    private static final Map<AuthLevel, SerializedString> ENCODED = new EnumMap<>(AuthLevel.class);

    static {
        for (AuthLevel level : AuthLevel.values()) {
            ENCODED.put(level, new SerializedString(encode(level)));
        }
    }

    private ClaimsIdentities() {}

    static void write(JsonGenerator g, AuthLevel level) throws IOException {
        g.writeRawValue(ENCODED.get(level));
    }

    private static String encode(AuthLevel level) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = EnvelopeJson.FACTORY.createGenerator(out)) {
            g.writeStartArray();
            g.writeStartObject();
            boolean authenticated = level != AuthLevel.ANONYMOUS;
            g.writeStringField("AuthenticationType", authenticated ? "WebJobsAuthLevel" : null);
            g.writeBooleanField("IsAuthenticated", authenticated);
            g.writeNullField("Actor");
            g.writeNullField("BootstrapContext");
            g.writeArrayFieldStart("Claims");
            if (authenticated) {
                g.writeStartObject();
                g.writeStringField("Issuer", ISSUER);
                g.writeStringField("OriginalIssuer", ISSUER);
                g.writeObjectFieldStart("Properties");
                g.writeEndObject();
                g.writeStringField("Type", AUTH_LEVEL_CLAIM);
                g.writeStringField("Value", level.wireName());
                g.writeStringField("ValueType", STRING_TYPE);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNullField("Label");
            g.writeNullField("Name");
            g.writeStringField("NameClaimType", NAME_CLAIM);
            g.writeStringField("RoleClaimType", ROLE_CLAIM);
            g.writeEndObject();
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
