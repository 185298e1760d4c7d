package dev.portcullis.passkey;

/**
 * The browser's answer to a sign-in ceremony, as sent (base64url fields).
 *
 * @param challenge  the challenge of the options it answers
 * @param userHandle may be null (a non-discoverable credential used as a second factor)
 */
public record PasskeyAssertion(String challenge, String credentialId, String clientDataJson,
                               String authenticatorData, String signature, String userHandle) {
}
