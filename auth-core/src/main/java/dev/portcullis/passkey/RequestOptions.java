package dev.portcullis.passkey;

import java.util.List;

/**
 * What the browser needs for {@code navigator.credentials.get} (WebAuthn
 * {@code PublicKeyCredentialRequestOptions}); byte values are base64url.
 *
 * @param allowCredentials empty for a usernameless sign-in (the browser offers discoverable
 *                         passkeys); the account's passkeys for a second factor
 */
public record RequestOptions(String challenge, String rpId, List<String> allowCredentials, String userVerification,
                             long timeoutMillis) {
    public RequestOptions {
        allowCredentials = List.copyOf(allowCredentials);
    }
}
