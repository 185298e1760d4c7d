package dev.portcullis.identity;

import dev.portcullis.spi.IdentityRecord;

/** The outcome of {@link Identities#link}. */
public sealed interface LinkResult {

    /** Linked; the owner was mailed. */
    record Linked(IdentityRecord identity) implements LinkResult {
    }

    /** This identity was already linked to this account: nothing changed. */
    record AlreadyLinked() implements LinkResult {
    }

    /** This identity signs in to another account: unlink it there first. Nothing changed. */
    record LinkedToAnotherAccount() implements LinkResult {
    }

    /** The session is not (or no longer) valid. */
    record NotSignedIn() implements LinkResult {
    }

    /** The issuer or subject is longer than a store keeps. */
    record Invalid() implements LinkResult {
    }
}
