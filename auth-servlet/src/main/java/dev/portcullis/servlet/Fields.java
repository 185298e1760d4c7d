package dev.portcullis.servlet;

import dev.portcullis.model.RawPassword;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The fields posted to an endpoint, from a form or a flat JSON object, with the alternative
 * spellings the endpoints accept. Immutable.
 */
record Fields(Map<String, String> values) {

    /** Every field an endpoint reads; a form's other parameters are not looked at. */
    static final List<String> NAMES = List.of("email", "password", "confirmPassword", "confirm_password", "currentPassword",
            "current_password", "next", "remember_me", "rememberMe", "token", "code");
    static final Fields NONE = new Fields(Map.of());

    private static final Set<String> TICKED = Set.of("on", "true", "1", "yes");

    Fields {
        values = Map.copyOf(values);
    }

    /** The value sent, or null. */
    String get(String name) {
        return values.get(name);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** A password field as the core takes it, or null when it was not sent. */
    RawPassword password(String name) {
        return asPassword(values.get(name));
    }

    /** {@code current_password} or {@code currentPassword}. */
    RawPassword currentPassword() {
        String snake = values.get("current_password");
        return asPassword(snake != null ? snake : values.get("currentPassword"));
    }

    /** {@code confirmPassword} or {@code confirm_password}. */
    RawPassword confirmPassword() {
        String camel = values.get("confirmPassword");
        return asPassword(camel != null ? camel : values.get("confirm_password"));
    }

    /** {@code remember_me} or {@code rememberMe} is ticked: {@code on}, {@code true}, {@code 1} or {@code yes}. */
    boolean rememberMe() {
        return ticked(values.get("remember_me")) || ticked(values.get("rememberMe"));
    }

    private static boolean ticked(String value) {
        return value != null && TICKED.contains(value.strip().toLowerCase(Locale.ROOT));
    }

    private static RawPassword asPassword(String value) {
        return value == null ? null : RawPassword.of(value);
    }
}
