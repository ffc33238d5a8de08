package dev.flint.host.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a key name and a key value may be, and how values are generated. Names are checked
 * strictly although they never become file paths: they appear in URLs of the admin API, in logs
 * and in keys.json, so {@code ..}, {@code /}, {@code %2F} and spaces have no business in them.
 */
final class KeyRules {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern VALUE_CHARACTERS = Pattern.compile("[A-Za-z0-9._~+/=-]*");
    private static final int MIN_VALUE_LENGTH = 16;
    private static final int MAX_VALUE_LENGTH = 256;
    private static final int GENERATED_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private KeyRules() {}

    /** Why {@code name} cannot name a key (other than the master), or empty when it can. */
    static Optional<String> nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("a key name is required");
        }
        if (NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        if (name.equalsIgnoreCase(AccessKey.MASTER_NAME)) {
            return Optional.of("the key name " + AccessKey.MASTER_NAME + " is reserved for the master key");
        }
        return Optional.of("the key name " + shown(name) + " is not allowed: expected 1 to 128 letters, digits, '.', '_'"
                + " or '-', starting with a letter or digit");
    }

    /** Why {@code value} cannot be the value of the key {@code described}, or empty when it can; never shows the value. */
    static Optional<String> valueProblem(String value, String described) {
        if (value == null || value.isEmpty()) {
            return Optional.of("the value of " + described + " is empty; expected " + MIN_VALUE_LENGTH + " to "
                    + MAX_VALUE_LENGTH + " characters");
        }
        if (value.length() < MIN_VALUE_LENGTH || value.length() > MAX_VALUE_LENGTH) {
            return Optional.of("the value of " + described + " is " + value.length() + " characters long; expected "
                    + MIN_VALUE_LENGTH + " to " + MAX_VALUE_LENGTH);
        }
        if (!VALUE_CHARACTERS.matcher(value).matches()) {
            return Optional.of("the value of " + described + " contains a character that is not allowed; expected"
                    + " only letters, digits and . _ ~ + / = -");
        }
        return Optional.empty();
    }

    /** 32 random bytes, base64url without padding: 43 characters, safe in URLs and headers. */
    static String generate() {
        byte[] bytes = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    /**
     * A name or function name as a message shows it: quoted, unless it would break the one-line
     * message (control characters, a page of text), when it is only described.
     */
    static String shown(String text) {
        boolean printable = text.length() <= 200 && text.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        return printable ? "\"" + text + "\"" : "(" + text.length() + " characters, too long or not printable to show)";
    }
}
