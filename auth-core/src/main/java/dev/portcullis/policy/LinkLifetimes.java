package dev.portcullis.policy;

import java.time.Duration;

/**
 * Lifetimes of one-time tokens and the cooldown between mails of one kind to one account.
 * Defaults: verification 48 h, password reset 30 min, email change 24 h, cooldown 60 s.
 */
public final class LinkLifetimes {

    private final Duration verifyEmail;
    private final Duration resetPassword;
    private final Duration confirmEmailChange;
    private final Duration mailCooldown;

    private LinkLifetimes(Builder b) {
        this.verifyEmail = b.verifyEmail;
        this.resetPassword = b.resetPassword;
        this.confirmEmailChange = b.confirmEmailChange;
        this.mailCooldown = b.mailCooldown;
    }

    public static LinkLifetimes defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration verifyEmail() {
        return verifyEmail;
    }

    public Duration resetPassword() {
        return resetPassword;
    }

    public Duration confirmEmailChange() {
        return confirmEmailChange;
    }

    public Duration mailCooldown() {
        return mailCooldown;
    }

    public static final class Builder {
        private Duration verifyEmail = Duration.ofHours(48);
        private Duration resetPassword = Duration.ofMinutes(30);
        private Duration confirmEmailChange = Duration.ofHours(24);
        private Duration mailCooldown = Duration.ofSeconds(60);

        private Builder() {
        }

        public Builder verifyEmail(Duration value) {
            this.verifyEmail = SessionPolicy.Builder.positive(value, "verifyEmail");
            return this;
        }

        /** At most 24 hours: a reset link is a password. */
        public Builder resetPassword(Duration value) {
            SessionPolicy.Builder.positive(value, "resetPassword");
            if (value.compareTo(Duration.ofHours(24)) > 0) {
                throw new IllegalArgumentException("resetPassword lifetime must be at most 24 h, was " + value);
            }
            this.resetPassword = value;
            return this;
        }

        public Builder confirmEmailChange(Duration value) {
            this.confirmEmailChange = SessionPolicy.Builder.positive(value, "confirmEmailChange");
            return this;
        }

        public Builder mailCooldown(Duration value) {
            this.mailCooldown = SessionPolicy.Builder.positive(value, "mailCooldown");
            return this;
        }

        public LinkLifetimes build() {
            return new LinkLifetimes(this);
        }
    }
}
