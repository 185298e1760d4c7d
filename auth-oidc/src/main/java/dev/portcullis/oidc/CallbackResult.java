package dev.portcullis.oidc;

import dev.portcullis.identity.VerifiedIdentity;
import java.util.Optional;

/** The outcome of {@link OidcLogin#callback}: a verified identity, or why there is none. */
public sealed interface CallbackResult {

    /** Clear this attempt cookie on the response, whatever the outcome (empty when there was none). */
    Optional<String> cookieToClear();

    /**
     * The provider proved the identity: the code was exchanged with the attempt's PKCE verifier and
     * the ID token passed every check. Hand {@code identity} to {@code Identities.signIn} or
     * {@code Identities.link}, as {@code purpose} says.
     *
     * @param next the {@code next} given to {@code start}, unchanged: check it with the safe-redirect rules again before use
     */
    record Verified(VerifiedIdentity identity, Purpose purpose, Optional<String> next, Optional<String> cookieToClear)
            implements CallbackResult {
    }

    /** Nothing was verified; nobody is signed in. */
    record Failed(Failure failure, Optional<String> cookieToClear) implements CallbackResult {
    }

    /** Why a callback verified nothing. */
    enum Failure {
        /** No provider with that id is configured. */
        UNKNOWN_PROVIDER,
        /** The callback carries no {@code state}. */
        STATE_MISSING,
        /**
         * The state matches no attempt of this browser: started in another browser, for another
         * provider, tampered with, expired, or already completed.
         */
        STATE_MISMATCH,
        /** The provider answered with an error (the user declined, say). */
        PROVIDER_ERROR,
        /** The provider could not be reached (discovery, token endpoint or keys). */
        PROVIDER_UNAVAILABLE,
        /** The token endpoint refused the code (wrong PKCE verifier, code reused or expired). */
        CODE_REFUSED,
        /**
         * The ID token failed a check: signature (unknown key, {@code alg=none}, another algorithm),
         * issuer, audience, authorized party, expiry, issue time or nonce.
         */
        ID_TOKEN_INVALID
    }
}
