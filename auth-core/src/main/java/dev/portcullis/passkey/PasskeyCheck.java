package dev.portcullis.passkey;

import static dev.portcullis.passkey.PasskeyWire.b64;

import dev.portcullis.internal.Core;
import dev.portcullis.internal.Throttle;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.StoredPasskey;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.WebAuthnVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The one check of a passkey assertion against the stored passkey, for both sign-ins (a passkey
 * alone and a passkey as the second factor): the credential, the throttle (reserved before the
 * verify), the signature, user verification, the counter against the stored one and the atomic
 * counter update. The caller has decoded the answer ({@link PasskeyWire#decodeAssertion}) and
 * consumed its challenge first.
 */
final class PasskeyCheck {

    /** What the check found: a {@code refusal} to return as it is, or the verified account. */
    record Checked(PasskeySignInResult refusal, StoredUser user, boolean userVerified) {
    }

    private final Core core;

    PasskeyCheck(Core core) {
        this.core = Objects.requireNonNull(core, "core");
    }

    /**
     * Checks {@code d} (decoded from {@code input}) against the stored passkey of its credential id,
     * which must belong to {@code expectedUser} when one is given.
     */
    Checked check(PasskeySettings s, PasskeyAssertion input, PasskeyWire.DecodedAssertion d,
                  Optional<UserId> expectedUser, String clientAddress) {
        Instant now = core.clock().instant();
        Optional<String> addressKey = addressKey(clientAddress);
        Optional<StoredPasskey> found = s.passkeys().find(input.credentialId())
                .filter(p -> expectedUser.isEmpty() || p.userId().equals(expectedUser.get()));
        String budgetKey = found.map(p -> accountKey(p.userId())).orElse("pk-unknown");
        Throttle.Check gate = core.throttle().check(budgetKey, addressKey, now);
        if (gate.retryAfter().isPresent()) {
            core.audit().emit(AuthEventType.PASSKEY_THROTTLED, found.map(StoredPasskey::userId), clientAddress);
            return refused(new PasskeySignInResult.Throttled(gate.retryAfter().get()));
        }
        Optional<Duration> address = core.throttle().reserveAddress(addressKey, now);
        if (address.isPresent()) {
            core.audit().emit(AuthEventType.PASSKEY_THROTTLED, found.map(StoredPasskey::userId), clientAddress);
            return refused(new PasskeySignInResult.Throttled(address.get()));
        }
        Optional<StoredUser> user = found.flatMap(p -> core.users().findById(p.userId())).filter(u -> !u.disabled());
        if (found.isEmpty() || user.isEmpty()) {
            Passkeys.log("sign-in with an unknown passkey");
            return refused(new PasskeySignInResult.Refused());
        }
        StoredPasskey passkey = found.get();
        if (d.userHandle() != null && !b64(d.userHandle()).equals(PasskeyWire.userHandle(passkey.userId()))) {
            return failed(passkey, clientAddress, "the user handle does not match the passkey's account");
        }
        Throttle.Reservation reservation = core.throttle().reserve(budgetKey, gate.accountFailures(), now);
        if (!reservation.proceed()) {
            core.audit().emit(AuthEventType.PASSKEY_THROTTLED, passkey.userId(), clientAddress);
            return refused(new PasskeySignInResult.Throttled(Duration.ofSeconds(1)));
        }
        WebAuthnVerifier.AssertionCheck check = s.verifier().verifyAssertion(new WebAuthnVerifier.Assertion(
                d.credentialId(), d.clientData(), d.authenticatorData(), d.signature(), d.userHandle()), passkey,
                PasskeyWire.expectations(s, input.challenge()));
        if (!(check instanceof WebAuthnVerifier.AssertionCheck.Verified ok)) {
            return failed(passkey, clientAddress, ((WebAuthnVerifier.AssertionCheck.Refused) check).reason());
        }
        if (s.userVerificationRequired() && !ok.userVerified()) {
            return failed(passkey, clientAddress, "user verification missing");
        }
        long stored = passkey.signCount();
        if ((ok.signCount() != 0 || stored != 0) && ok.signCount() <= stored) {
            // The authenticator's counter did not move past the one we stored: another copy of the
            // key has signed since, or this one is a copy. Either way the key is not to be trusted.
            Passkeys.log("signature counter " + ok.signCount() + " does not exceed the stored " + stored
                    + " for a passkey of " + passkey.userId() + ": possible cloned authenticator");
            core.audit().emit(AuthEventType.PASSKEY_CLONE_SUSPECTED, passkey.userId(), clientAddress);
            core.notices().passkeyCloneSuspected(passkey.userId(), passkey.name());
            core.throttle().recordFailure(budgetKey, Optional.empty(), now);
            return refused(new PasskeySignInResult.Refused());
        }
        if (!s.passkeys().recordUse(passkey.credentialId(), stored, ok.signCount(), ok.backedUp(), now)) {
            // Another assertion with the same counter got there first.
            return failed(passkey, clientAddress, "the counter changed meanwhile (a concurrent assertion)");
        }
        core.throttle().recordSuccess(budgetKey, addressKey);
        return new Checked(null, user.get(), ok.userVerified());
    }

    private Checked failed(StoredPasskey passkey, String clientAddress, String reason) {
        Passkeys.log("passkey sign-in refused for " + passkey.userId() + ": " + reason);
        core.audit().emit(AuthEventType.PASSKEY_FAILED, passkey.userId(), clientAddress);
        return refused(new PasskeySignInResult.Refused());
    }

    private static Checked refused(PasskeySignInResult r) {
        return new Checked(r, null, false);
    }

    private static String accountKey(UserId id) {
        return "pk-acct:" + TokenDigest.of("pk-acct:" + id.value()).hex();
    }

    private static Optional<String> addressKey(String clientAddress) {
        return clientAddress == null || clientAddress.isBlank() ? Optional.empty()
                : Optional.of("pk-addr:" + TokenDigest.of("pk-addr:" + Throttle.network(clientAddress.strip())).hex());
    }
}
