package dev.portcullis.identity;

import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.SecondFactor;
import dev.portcullis.model.SessionToken;
import java.util.Objects;
import java.util.Set;

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
     * The provider proved the first factor and the account has a local second factor that the
     * provider's {@code acr}/{@code amr} are not trusted to replace: there is no session yet. The
     * sign-in continues at the code step, exactly as after a right password: pass {@code handle}
     * and the code to {@code Sessions.completeSignIn} (auth-servlet: {@code WebAuth.continueAtCodeStep},
     * then {@code POST /auth/login/mfa}). The same limits as {@code LoginResult.SecondFactorRequired}
     * (single use, 5 minutes, 5 codes); redacted in {@link #toString()}.
     *
     * @param factors what the account can answer with
     * @param created whether the account was created by this sign-in
     * @param linked  whether the identity was linked by this sign-in
     */
    record SecondFactorRequired(String handle, Set<SecondFactor> factors, boolean created, boolean linked)
            implements FederatedSignInResult {
        public SecondFactorRequired {
            Objects.requireNonNull(handle, "handle");
            factors = Set.copyOf(factors);
        }

        @Override
        public String toString() {
            return "SecondFactorRequired[handle=redacted, factors=" + factors + ", created=" + created + ", linked="
                    + linked + "]";
        }
    }

    /**
     * The policy requires a second factor for the account's roles and it has none (and the
     * provider is not trusted for one): no session. {@code handle} allows only enrolment, as
     * {@code LoginResult.EnrolmentRequired}. Redacted in {@link #toString()}.
     */
    record EnrolmentRequired(String handle) implements FederatedSignInResult {
        public EnrolmentRequired {
            Objects.requireNonNull(handle, "handle");
        }

        @Override
        public String toString() {
            return "EnrolmentRequired[handle=redacted]";
        }
    }

    /**
     * The identity is not linked, and a local account already has its address. Nobody was signed
     * in and nothing was linked: the owner must prove the account is theirs first — sign in to it
     * (with its password) and link the provider from the account settings, or ask for a mailed link
     * ({@link Identities#requestLinkByMail}) and follow it in the same browser. Never linked on the
     * address alone.
     */
    record LinkRequired() implements FederatedSignInResult {
    }

    /**
     * The identity cannot sign in: its account is disabled or its address not yet verified (where
     * that is required), or it has no account and the provider gave no usable address to create
     * one with.
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
         * {@code Portcullis.builder().requireVerifiedEmail(true)} and the account's address is not
         * verified: the same rule as for a password sign-in. An account created by this sign-in was
         * sent the verification mail (when mail is configured); an authoritative provider's verified
         * address counts as verified.
         */
        EMAIL_NOT_VERIFIED,
        /**
         * {@link Identities#confirmLinkByMail}: the link is unknown, expired or used, was opened in
         * another browser than the one that asked for it, or the account's password or address
         * changed since, or the identity now belongs to another account. One answer for all.
         */
        LINK_INVALID
    }
}
