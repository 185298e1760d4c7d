package dev.portcullis.model;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A persistent-login ("remember me") credential: a public {@code selector} to find the record and
 * a secret {@code validator} whose SHA-256 alone is stored (the split-token design, so a database
 * lookup never compares secrets in variable time). Carried in a cookie as
 * {@code selector.validator}. {@link #toString()} is redacted.
 */
public record RememberMeToken(String selector, String validator) {

    private static final Pattern SELECTOR = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final Pattern VALIDATOR = Pattern.compile("[A-Za-z0-9_-]{43}");

    public RememberMeToken {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(validator, "validator");
        if (!SELECTOR.matcher(selector).matches() || !VALIDATOR.matcher(validator).matches()) {
            throw new IllegalArgumentException("not a remember-me token");
        }
    }

    /** Parses a cookie value; empty when it is not shaped like a token. */
    public static Optional<RememberMeToken> parse(String value) {
        if (value == null || value.length() != 66 || value.charAt(22) != '.') {
            return Optional.empty();
        }
        String selector = value.substring(0, 22);
        String validator = value.substring(23);
        return SELECTOR.matcher(selector).matches() && VALIDATOR.matcher(validator).matches()
                ? Optional.of(new RememberMeToken(selector, validator)) : Optional.empty();
    }

    /** The cookie value. */
    public String encoded() {
        return selector + "." + validator;
    }

    @Override
    public String toString() {
        return "RememberMeToken[" + selector + ", validator redacted]";
    }
}
