package dev.portcullis.spi;

import java.util.Objects;
import java.util.Set;

/**
 * Checks the cryptography of WebAuthn responses: attestation objects, client data, authenticator
 * data and assertion signatures (the {@code auth-webauthn} module implements it on webauthn4j).
 * The core decides everything else — which challenge, which origins and RP ID, whether user
 * verification is required, and the signature counter, which the verifier must not judge: it
 * reports the counter it read and the core compares it with the stored one. Thread-safe.
 */
public interface WebAuthnVerifier {

    /**
     * What a response must match.
     *
     * @param rpId                     the relying party id (a registrable domain)
     * @param origins                  the origins the client data may name (e.g. {@code https://example.com})
     * @param challenge                the challenge the client data must carry, base64url
     * @param userVerificationRequired whether the UV flag must be set
     */
    record Expectations(String rpId, Set<String> origins, String challenge, boolean userVerificationRequired) {
        public Expectations {
            Objects.requireNonNull(rpId, "rpId");
            origins = Set.copyOf(origins);
            Objects.requireNonNull(challenge, "challenge");
        }
    }

    /** The browser's answer to {@code navigator.credentials.create}, decoded from base64url. */
    record Registration(byte[] clientDataJson, byte[] attestationObject, Set<String> transports) {
        public Registration {
            Objects.requireNonNull(clientDataJson, "clientDataJson");
            Objects.requireNonNull(attestationObject, "attestationObject");
            transports = Set.copyOf(transports);
        }
    }

    /** The browser's answer to {@code navigator.credentials.get}, decoded from base64url. */
    record Assertion(byte[] credentialId, byte[] clientDataJson, byte[] authenticatorData, byte[] signature,
                     byte[] userHandle) {
        public Assertion {
            Objects.requireNonNull(credentialId, "credentialId");
            Objects.requireNonNull(clientDataJson, "clientDataJson");
            Objects.requireNonNull(authenticatorData, "authenticatorData");
            Objects.requireNonNull(signature, "signature");
        }
    }

    /** What a registration check found. */
    sealed interface RegistrationCheck {
        /**
         * A valid new credential.
         *
         * @param publicKey the COSE_Key bytes to store
         * @param aaguid    as a UUID string
         */
        record Verified(byte[] credentialId, byte[] publicKey, long signCount, String aaguid, boolean userVerified,
                        boolean backupEligible, boolean backedUp) implements RegistrationCheck {
        }

        /** Not valid; {@code reason} is for the log, never secret, never shown to the user verbatim. */
        record Refused(String reason) implements RegistrationCheck {
        }
    }

    /** What an assertion check found. */
    sealed interface AssertionCheck {
        /** The signature is valid for the stored key; the counter is the authenticator's, unjudged. */
        record Verified(long signCount, boolean userVerified, boolean backedUp) implements AssertionCheck {
        }

        /** Not valid; {@code reason} is for the log. */
        record Refused(String reason) implements AssertionCheck {
        }
    }

    RegistrationCheck verifyRegistration(Registration response, Expectations expected);

    /** Checks {@code response} against the stored credential's public key. */
    AssertionCheck verifyAssertion(Assertion response, StoredPasskey credential, Expectations expected);
}
