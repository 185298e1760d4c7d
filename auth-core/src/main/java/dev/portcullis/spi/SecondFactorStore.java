package dev.portcullis.spi;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persists second factors: one authenticator-app (TOTP) enrolment per user and the digests of the
 * user's recovery codes. The core decides everything (secrets are encrypted, codes hashed, steps
 * computed before they get here); the store keeps values and makes the conditional updates atomic,
 * also across nodes: that is what makes a TOTP code and a recovery code usable once. Thread-safe;
 * may throw {@link StoreException}, and only that. Operations on an unknown user change nothing.
 */
public interface SecondFactorStore {

    /** The user's enrolment, pending or confirmed. */
    Optional<TotpEnrolment> findTotp(UserId userId);

    /**
     * Stores {@code pending} (unconfirmed) as the user's enrolment, replacing a pending one but never
     * a confirmed one.
     *
     * @return false, changing nothing, when the user has a confirmed enrolment
     */
    boolean savePendingTotp(TotpEnrolment pending);

    /**
     * Confirms the user's pending enrolment whose sealed secret is {@code sealedSecret}: sets
     * {@code confirmedAt} and {@code lastUsedStep}. Atomic: of racing calls at most one succeeds, and
     * none when the pending enrolment was replaced meanwhile.
     *
     * @return whether this call confirmed it
     */
    boolean confirmTotp(UserId userId, String sealedSecret, long step, Instant confirmedAt);

    /**
     * Advances the last used step of the user's <em>confirmed</em> enrolment to {@code step} when it
     * is below {@code step} (one conditional update). Of any number of racing calls with the same
     * step exactly one succeeds, also across processes; a call with a step at or below the stored
     * one fails.
     *
     * @return whether this call advanced it
     */
    boolean advanceTotpStep(UserId userId, long step);

    /** Removes the user's enrolment, pending or confirmed. @return whether there was one */
    boolean deleteTotp(UserId userId);

    /**
     * Replaces the user's recovery codes by {@code digests} (their keyed hashes) in one atomic
     * step: no moment sees both sets or neither. An empty list just removes them.
     */
    void replaceRecoveryCodes(UserId userId, List<TokenDigest> digests, Instant createdAt);

    /**
     * Uses up one recovery code: removes it if the user has it. Of any number of racing calls for
     * one code exactly one gets true, also across processes.
     */
    boolean useRecoveryCode(UserId userId, TokenDigest digest);

    /** How many unused recovery codes the user has. */
    int countRecoveryCodes(UserId userId);
}
