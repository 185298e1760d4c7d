package dev.portcullis.identity;

import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.SessionToken;

/** The outcome of {@link Identities#signIn}. */
public sealed interface FederatedSignInResult {

    /**
     * Signed in: a session as after a password login.
     *
     * @param created whether the account was created by this sign-in
     * @param linked  whether the identity was linked by this sign-in (a new account, or an
     *                authoritative provider's verified address)
     */
    record SignedIn(CurrentUser user, SessionToken session, boolean created, boolean linked)
            implements FederatedSignInResult {
    }

    /**
     * The identity is not linked, and a local account already has its address. Nobody was signed
     * in and nothing was linked: the owner must prove the account is theirs first — sign in to it
     * (with its password) and link the provider from the account settings. Never linked on the
     * address alone.
     */
    record LinkRequired() implements FederatedSignInResult {
    }

    /**
     * The identity cannot sign in: its account is disabled, or it has no account and the
     * provider gave no usable address to create one with.
     */
    record Refused(Reason reason) implements FederatedSignInResult {
    }

    /** Why a sign-in was refused. */
    enum Reason {
        /** The linked account is disabled. */
        ACCOUNT_DISABLED,
        /** No account yet, and the provider sent no usable {@code email} claim (ask for the {@code email} scope). */
        EMAIL_MISSING,
        /** The issuer or subject is longer than a store keeps. */
        IDENTITY_INVALID,
        /**
         * The account has a local second factor and the provider's {@code acr}/{@code amr} are not
         * trusted for it: an external sign-in does not replace the code (sign in with the password
         * and the code instead).
         */
        SECOND_FACTOR_REQUIRED
    }
}
