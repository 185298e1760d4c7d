/**
 * Portcullis passkeys: the {@link dev.portcullis.spi.WebAuthnVerifier} on webauthn4j. webauthn4j
 * brings Jackson 3 (packages {@code tools.jackson.*}), which lives beside any Jackson 2
 * ({@code com.fasterxml.jackson.*}) on the same class or module path.
 */
module dev.portcullis.webauthn {
    requires transitive dev.portcullis.core;
    requires com.webauthn4j.core;

    exports dev.portcullis.webauthn;
}
