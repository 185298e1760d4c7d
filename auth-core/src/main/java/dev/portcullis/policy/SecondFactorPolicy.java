package dev.portcullis.policy;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Two-factor sign-in and fresh re-authentication (step-up).
 *
 * <p><b>Who needs a second factor.</b> Opt-in per user by default: an account with a confirmed
 * authenticator app must give a code after its password. Accounts holding one of
 * {@code requiredForRoles} must have one: after their next correct password they get
 * {@code LoginResult.EnrolmentRequired}, a pending sign-in that allows only enrolment, and are
 * signed in once the enrolment is confirmed.
 *
 * <p><b>Step-up.</b> Sensitive actions (change password or address, add or remove a factor, new
 * recovery codes, create an API key, log out other sessions) need every factor of the account
 * proved in this session within {@code stepUpWindow}; otherwise they answer
 * "re-authentication required" and the application asks for the password (and the code) again.
 * The current password that a password or address change asks for counts as the password's
 * proof.
 */
public final class SecondFactorPolicy {

    private final Set<String> requiredForRoles;
    private final Duration stepUpWindow;

    private SecondFactorPolicy(Builder b) {
        this.requiredForRoles = Set.copyOf(b.requiredForRoles);
        this.stepUpWindow = b.stepUpWindow;
    }

    /** Opt-in for everyone, step-up window 10 minutes. */
    public static SecondFactorPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Set<String> requiredForRoles() {
        return requiredForRoles;
    }

    /** Whether a user with these roles must have a second factor. */
    public boolean requiredFor(Set<String> roles) {
        return roles.stream().anyMatch(requiredForRoles::contains);
    }

    public Duration stepUpWindow() {
        return stepUpWindow;
    }

    public static final class Builder {
        private Set<String> requiredForRoles = Set.of();
        private Duration stepUpWindow = Duration.ofMinutes(10);

        private Builder() {
        }

        /** Roles whose holders must enrol a second factor; default none (opt-in for everyone). */
        public Builder requiredForRoles(Set<String> roles) {
            Objects.requireNonNull(roles, "roles");
            if (roles.stream().anyMatch(r -> r == null || r.isBlank())) {
                throw new IllegalArgumentException("role names must not be null or blank");
            }
            this.requiredForRoles = Set.copyOf(roles);
            return this;
        }

        /** How recent a proof a sensitive action needs: 1 minute to 12 hours, default 10 minutes. */
        public Builder stepUpWindow(Duration value) {
            Objects.requireNonNull(value, "stepUpWindow");
            if (value.compareTo(Duration.ofMinutes(1)) < 0 || value.compareTo(Duration.ofHours(12)) > 0) {
                throw new IllegalArgumentException("stepUpWindow must be 1 min to 12 h, was " + value);
            }
            this.stepUpWindow = value;
            return this;
        }

        public SecondFactorPolicy build() {
            return new SecondFactorPolicy(this);
        }
    }
}
