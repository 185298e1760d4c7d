package dev.portcullis.oidc;

/**
 * Why the browser was sent to the provider: to sign in, to link the identity to the signed-in
 * account, or to ask for a mailed link that links it to the account with its address (the proof of
 * ownership for a user who cannot sign in to that account first).
 */
public enum Purpose {
    SIGN_IN,
    LINK,
    LINK_BY_MAIL
}
