package dev.portcullis.oidc;

/** Why the browser was sent to the provider: to sign in, or to link the identity to the signed-in account. */
public enum Purpose {
    SIGN_IN,
    LINK
}
