package dev.portcullis.passkey;

import dev.portcullis.spi.PasskeyChallengeStore;
import dev.portcullis.spi.PasskeyStore;
import dev.portcullis.spi.WebAuthnVerifier;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Switches passkeys on: the relying party (its id and the origins its pages are served from, both
 * from configuration, never from a request's Host header), the user-verification policy, the stores
 * and the verifier. Immutable; built with {@link #builder()}.
 */
public final class PasskeySettings {

    /** Whether the authenticator must verify its user (PIN, biometrics). */
    public enum UserVerification {
        /** Default: a response without the UV flag is refused; a passkey sign-in is then multi-factor. */
        REQUIRED,
        /**
         * Asked for, not insisted on: a response without UV is accepted as one factor (it cannot
         * complete a sign-in that needs two, and it signs in no account that has a second factor).
         */
        PREFERRED
    }

    /** How long a challenge may be answered. */
    public static final Duration CHALLENGE_LIFETIME = Duration.ofMinutes(5);

    private final String rpId;
    private final String rpName;
    private final Set<String> origins;
    private final UserVerification userVerification;
    private final PasskeyStore passkeys;
    private final PasskeyChallengeStore challenges;
    private final WebAuthnVerifier verifier;

    private PasskeySettings(Builder b) {
        this.rpId = b.rpId;
        this.rpName = b.rpName == null ? b.rpId : b.rpName;
        this.origins = Set.copyOf(b.origins);
        this.userVerification = b.userVerification;
        this.passkeys = b.passkeys;
        this.challenges = b.challenges;
        this.verifier = b.verifier;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String rpId() {
        return rpId;
    }

    public String rpName() {
        return rpName;
    }

    public Set<String> origins() {
        return origins;
    }

    public UserVerification userVerification() {
        return userVerification;
    }

    public boolean userVerificationRequired() {
        return userVerification == UserVerification.REQUIRED;
    }

    public PasskeyStore passkeys() {
        return passkeys;
    }

    public PasskeyChallengeStore challenges() {
        return challenges;
    }

    public WebAuthnVerifier verifier() {
        return verifier;
    }

    /** Used once; each setter checks its argument, {@link #build()} names anything missing. */
    public static final class Builder {
        private String rpId;
        private String rpName;
        private final Set<String> origins = new LinkedHashSet<>();
        private UserVerification userVerification = UserVerification.REQUIRED;
        private PasskeyStore passkeys;
        private PasskeyChallengeStore challenges;
        private WebAuthnVerifier verifier;

        private Builder() {
        }

        /**
         * The relying party id: the site's registrable domain or a host name under it, without scheme
         * or port ({@code example.com}); passkeys are bound to it and cannot move to another.
         */
        public Builder rpId(String value) {
            Objects.requireNonNull(value, "rpId");
            if (!value.matches("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?")) {
                throw new IllegalArgumentException("rpId must be a lower-case host name without scheme or port, was "
                        + value);
            }
            this.rpId = value;
            return this;
        }

        /** The name the browser shows for the site; default the rpId. */
        public Builder rpName(String value) {
            Objects.requireNonNull(value, "rpName");
            if (value.isBlank() || value.length() > 64) {
                throw new IllegalArgumentException("rpName must be 1 to 64 characters");
            }
            this.rpName = value;
            return this;
        }

        /**
         * An origin the site's pages are served from ({@code https://example.com}, or
         * {@code http://localhost:8080} in development); call once per origin. Its host must be the
         * rpId or under it.
         */
        public Builder origin(String value) {
            Objects.requireNonNull(value, "origin");
            URI uri;
            try {
                uri = new URI(value);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("origin is not a URI: " + value, e);
            }
            boolean local = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
            if (uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null
                    || !("https".equals(uri.getScheme()) || local && "http".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("origin must be scheme://host[:port] with https (http only for"
                        + " localhost), was " + value);
            }
            origins.add(value);
            return this;
        }

        public Builder userVerification(UserVerification value) {
            this.userVerification = Objects.requireNonNull(value, "userVerification");
            return this;
        }

        public Builder stores(PasskeyStore passkeyStore, PasskeyChallengeStore challengeStore) {
            this.passkeys = Objects.requireNonNull(passkeyStore, "passkeyStore");
            this.challenges = Objects.requireNonNull(challengeStore, "challengeStore");
            return this;
        }

        /** The cryptography: {@code new Webauthn4jVerifier()} from auth-webauthn. */
        public Builder verifier(WebAuthnVerifier value) {
            this.verifier = Objects.requireNonNull(value, "verifier");
            return this;
        }

        public PasskeySettings build() {
            require(rpId != null, "rpId is required: call PasskeySettings.builder().rpId(\"example.com\")");
            require(!origins.isEmpty(), "at least one origin is required: call .origin(\"https://example.com\")");
            require(passkeys != null, "stores are required: call .stores(passkeyStore, challengeStore)");
            require(verifier != null, "a verifier is required: call .verifier(new Webauthn4jVerifier())");
            for (String origin : origins) {
                String host = URI.create(origin).getHost();
                require(host.equals(rpId) || host.endsWith("." + rpId),
                        "origin " + origin + " is not on the rpId " + rpId);
            }
            return new PasskeySettings(this);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalStateException(message);
            }
        }
    }
}
