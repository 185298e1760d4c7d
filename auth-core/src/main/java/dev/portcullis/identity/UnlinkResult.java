package dev.portcullis.identity;

/** The outcome of {@link Identities#unlink}. */
public sealed interface UnlinkResult {

    /** Unlinked: the identity no longer signs in to the account. */
    record Unlinked() implements UnlinkResult {
    }

    /** Refused: the account has no password and no other identity, so it would have no way in left. */
    record LastSignInMethod() implements UnlinkResult {
    }

    /** The identity is not linked to this account. */
    record NotLinked() implements UnlinkResult {
    }

    /** The session is not (or no longer) valid. */
    record NotSignedIn() implements UnlinkResult {
    }
}
