package dev.portcullis.passkey;

import java.util.List;

/**
 * What the browser needs for {@code navigator.credentials.create} (WebAuthn
 * {@code PublicKeyCredentialCreationOptions}); byte values are base64url. The adapter serialises it.
 *
 * @param userHandle        the account's opaque WebAuthn user id (no personal data)
 * @param excludeCredentials the account's passkeys, so the same authenticator is not registered twice
 * @param algorithms        COSE algorithm ids, preferred first (ES256, EdDSA, RS256)
 * @param userVerification  {@code required} or {@code preferred}
 */
public record CreationOptions(String challenge, String rpId, String rpName, String userHandle, String userName,
                              String userDisplayName, List<Integer> algorithms, List<String> excludeCredentials,
                              String residentKey, String userVerification, String attestation, long timeoutMillis) {
    public CreationOptions {
        algorithms = List.copyOf(algorithms);
        excludeCredentials = List.copyOf(excludeCredentials);
    }
}
