package dev.portcullis.passkey;

import dev.portcullis.model.FieldErrors;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.WebAuthnVerifier;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The browser's side of the passkey ceremonies: decoding its answers (size limits first, then
 * base64url), the shape of challenges and credential ids, the user handle, and what the options
 * and the verifier ask of the authenticator. Nothing here decides a registration or a sign-in.
 */
final class PasskeyWire {

    static final int MAX_CLIENT_DATA = 4096;
    static final int MAX_ATTESTATION = 32 * 1024;
    static final int MAX_AUTHENTICATOR_DATA = 4096;
    static final int MAX_SIGNATURE = 1024;
    static final int MAX_CREDENTIAL_ID = 1023;
    static final int MAX_USER_HANDLE = 64;
    static final int MAX_NAME = 64;
    /** COSE algorithms offered: ES256, EdDSA, RS256. */
    static final List<Integer> ALGORITHMS = List.of(-7, -8, -257);

    /** A registration answer, decoded; {@code errors} non-null when it is malformed (the rest null). */
    record DecodedRegistration(FieldErrors errors, byte[] clientData, byte[] attestation, String name) {
    }

    /** An assertion, decoded; {@code errors} non-null when it is malformed (the rest null). */
    record DecodedAssertion(FieldErrors errors, byte[] credentialId, byte[] clientData, byte[] authenticatorData,
                            byte[] signature, byte[] userHandle) {
    }

    private PasskeyWire() {
    }

    /** The name defaults to "Passkey"; the transports are checked, not decoded. */
    static DecodedRegistration decodeRegistration(PasskeyRegistration input) {
        if (input == null) {
            return new DecodedRegistration(FieldErrors.of("credential", "Send the passkey's answer."), null, null,
                    null);
        }
        FieldErrors.Collector errors = new FieldErrors.Collector();
        byte[] clientData = decode(input.clientDataJson(), "clientDataJSON", MAX_CLIENT_DATA, errors);
        byte[] attestation = decode(input.attestationObject(), "attestationObject", MAX_ATTESTATION, errors);
        String name = input.name() == null || input.name().isBlank() ? "Passkey" : input.name().strip();
        if (name.codePointCount(0, name.length()) > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            errors.add("name", "Use at most " + MAX_NAME + " characters.");
        }
        if (input.transports().size() > 8 || input.transports().stream()
                .anyMatch(t -> t == null || !t.matches("[a-z-]{1,16}"))) {
            errors.add("transports", "Unknown transports.");
        }
        if (!validChallenge(input.challenge())) {
            errors.add("challenge", "Missing or malformed challenge.");
        }
        if (!errors.isEmpty()) {
            return new DecodedRegistration(errors.toErrors(), null, null, null);
        }
        return new DecodedRegistration(null, clientData, attestation, name);
    }

    static DecodedAssertion decodeAssertion(PasskeyAssertion input) {
        if (input == null) {
            return new DecodedAssertion(FieldErrors.of("credential", "Send the passkey's answer."), null, null, null,
                    null, null);
        }
        FieldErrors.Collector errors = new FieldErrors.Collector();
        byte[] id = decode(input.credentialId(), "id", MAX_CREDENTIAL_ID, errors);
        byte[] clientData = decode(input.clientDataJson(), "clientDataJSON", MAX_CLIENT_DATA, errors);
        byte[] authData = decode(input.authenticatorData(), "authenticatorData", MAX_AUTHENTICATOR_DATA, errors);
        byte[] signature = decode(input.signature(), "signature", MAX_SIGNATURE, errors);
        byte[] userHandle = input.userHandle() == null || input.userHandle().isEmpty() ? null
                : decode(input.userHandle(), "userHandle", MAX_USER_HANDLE, errors);
        if (!validChallenge(input.challenge())) {
            errors.add("challenge", "Missing or malformed challenge.");
        }
        if (!errors.isEmpty()) {
            return new DecodedAssertion(errors.toErrors(), null, null, null, null, null);
        }
        return new DecodedAssertion(null, id, clientData, authData, signature, userHandle);
    }

    static WebAuthnVerifier.Expectations expectations(PasskeySettings s, String challenge) {
        return new WebAuthnVerifier.Expectations(s.rpId(), s.origins(), challenge, s.userVerificationRequired());
    }

    static String uv(PasskeySettings s) {
        return s.userVerificationRequired() ? "required" : "preferred";
    }

    /** The WebAuthn user handle: the account id's bytes (a random id, no personal data). */
    static String userHandle(UserId id) {
        return b64(id.value().getBytes(StandardCharsets.UTF_8));
    }

    static boolean validChallenge(String challenge) {
        return challenge != null && challenge.length() >= 16 && challenge.length() <= 128
                && challenge.matches("[A-Za-z0-9_-]+");
    }

    static boolean validId(String id) {
        return id != null && !id.isEmpty() && id.length() <= 1400 && id.matches("[A-Za-z0-9_-]+");
    }

    static byte[] decode(String value, String field, int maxBytes, FieldErrors.Collector errors) {
        if (value == null || value.isEmpty()) {
            errors.add(field, "Missing.");
            return null;
        }
        // Checked before decoding: oversized input costs nothing.
        if (value.length() > (maxBytes * 4 + 2) / 3 + 1) {
            errors.add(field, "Too long.");
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(value.replace("=", ""));
        } catch (IllegalArgumentException e) {
            errors.add(field, "Not base64url.");
            return null;
        }
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
