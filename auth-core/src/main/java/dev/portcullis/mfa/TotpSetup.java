package dev.portcullis.mfa;

import java.util.Objects;

/**
 * What an authenticator app needs to enrol: the secret (base32, as apps take it when typed in) and
 * the {@code otpauth://totp/Issuer:email?secret=…&issuer=…} URI (what a QR code carries). Shown
 * during enrolment only: once confirmed, the secret is never returned again. Redacted in
 * {@link #toString()}.
 */
public record TotpSetup(String secret, String uri) {

    public TotpSetup {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(uri, "uri");
    }

    @Override
    public String toString() {
        return "TotpSetup[redacted]";
    }
}
