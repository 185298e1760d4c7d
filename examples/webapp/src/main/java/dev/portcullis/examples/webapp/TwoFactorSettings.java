package dev.portcullis.examples.webapp;

import dev.portcullis.policy.SecondFactorPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Two-factor sign-in of the app (always on; docs/guide/two-factor.md), read from the environment.
 *
 * @param key              {@code PORTCULLIS_SECOND_FACTOR_KEY}: base64 of at least 32 bytes; seals the
 *                         authenticator secrets and keys the recovery-code digests, the same on every
 *                         node; unset: derived from the access-token signing key ({@link DerivedKeys}),
 *                         so rotating that key then voids every enrolment and recovery code
 * @param requiredForRoles {@code PORTCULLIS_MFA_REQUIRED_ROLES}: comma-separated roles whose holders
 *                         must enrol (they are walked through it right after their password); default none
 * @param stepUpWindow     {@code PORTCULLIS_STEP_UP_MINUTES}: how recent a sign-in sensitive actions
 *                         need, 1 to 720 minutes, default 10
 */
public record TwoFactorSettings(Optional<byte[]> key, Set<String> requiredForRoles, Duration stepUpWindow) {

    public TwoFactorSettings {
        key = key.map(byte[]::clone);
        requiredForRoles = Set.copyOf(requiredForRoles);
    }

    static TwoFactorSettings fromEnvironment(Map<String, String> env) {
        Optional<byte[]> key = Optional.ofNullable(env.get("PORTCULLIS_SECOND_FACTOR_KEY")).map(String::strip)
                .filter(v -> !v.isEmpty()).map(v -> {
                    byte[] bytes;
                    try {
                        bytes = Base64.getDecoder().decode(v);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                "PORTCULLIS_SECOND_FACTOR_KEY must be base64 (e.g. from `openssl rand -base64 32`)");
                    }
                    if (bytes.length < 32) {
                        throw new IllegalArgumentException("PORTCULLIS_SECOND_FACTOR_KEY must hold at least 32 bytes, was "
                                + bytes.length);
                    }
                    return bytes;
                });
        Set<String> roles = Arrays.stream(env.getOrDefault("PORTCULLIS_MFA_REQUIRED_ROLES", "").split(","))
                .map(String::strip).filter(r -> !r.isEmpty()).collect(Collectors.toUnmodifiableSet());
        String minutes = env.getOrDefault("PORTCULLIS_STEP_UP_MINUTES", "10").strip();
        Duration window;
        try {
            window = Duration.ofMinutes(Integer.parseInt(minutes));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("PORTCULLIS_STEP_UP_MINUTES must be a number of minutes, was '" + minutes + "'");
        }
        if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofHours(12)) > 0) {
            throw new IllegalArgumentException("PORTCULLIS_STEP_UP_MINUTES must be 1 to 720, was " + minutes);
        }
        return new TwoFactorSettings(key, roles, window);
    }

    SecondFactorPolicy policy() {
        return SecondFactorPolicy.builder().requiredForRoles(requiredForRoles).stepUpWindow(stepUpWindow).build();
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "TwoFactorSettings[key=" + (key.isPresent() ? "configured" : "derived") + ", requiredForRoles="
                + requiredForRoles + ", stepUpWindow=" + stepUpWindow.toMinutes() + "min]";
    }
}
