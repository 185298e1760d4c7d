package dev.portcullis.servlet;

import java.util.Objects;
import java.util.Optional;

/**
 * Paths that require a logged-in user and, optionally, a role. Patterns are context-relative:
 * {@code /*}, {@code /prefix/*} (the prefix itself and everything below it) or an exact path;
 * {@code /admin} and {@code /admin/} are the same path, and matching ignores ASCII case so that a
 * case-insensitive resource lookup cannot step around a rule. Immutable.
 *
 * @param pattern the path pattern
 * @param role    the role the user must hold, or empty for "any logged-in user"
 */
public record ProtectionRule(String pattern, Optional<String> role) {

    public ProtectionRule {
        new PathPattern(pattern); // validates
        Objects.requireNonNull(role, "role");
        role.ifPresent(r -> {
            if (r.isBlank() || r.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("a role is a non-blank word without spaces, was: '" + r + "'");
            }
        });
    }

    /** Requires any logged-in user under {@code pattern}. */
    public static ProtectionRule authenticated(String pattern) {
        return new ProtectionRule(pattern, Optional.empty());
    }

    /** Requires a logged-in user holding {@code role} under {@code pattern}. */
    public static ProtectionRule role(String pattern, String role) {
        return new ProtectionRule(pattern, Optional.of(Objects.requireNonNull(role, "role")));
    }

    boolean matches(String path) {
        return PathPattern.matches(pattern, path, true); // validated in the constructor
    }
}
