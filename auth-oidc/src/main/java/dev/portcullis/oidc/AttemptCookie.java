package dev.portcullis.oidc;

import java.time.Duration;
import java.util.Objects;

/**
 * The cookie that binds one authorization attempt to the browser that started it: set it with the
 * redirect to the provider (HttpOnly, SameSite=Lax, Path=/, Secure on HTTPS), present it at the
 * callback, clear it after. Its value is sealed (encrypted and authenticated with the login's key)
 * and carries the attempt's state, nonce, PKCE verifier and {@code next}; each attempt has its own
 * cookie, named after its state, so several attempts in one browser do not disturb each other.
 *
 * @param name   {@code portcullis_oidc_} and the first characters of the state
 * @param value  the sealed attempt; a secret, never printed
 * @param maxAge how long the attempt may take
 */
public record AttemptCookie(String name, String value, Duration maxAge) {

    public AttemptCookie {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(maxAge, "maxAge");
    }

    @Override
    public String toString() {
        return "AttemptCookie[name=" + name + ", value=redacted, maxAge=" + maxAge + "]";
    }
}
