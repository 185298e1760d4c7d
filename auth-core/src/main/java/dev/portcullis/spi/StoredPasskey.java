package dev.portcullis.spi;

import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A passkey (WebAuthn public-key credential) registered to an account, as a {@link PasskeyStore}
 * keeps it. Nothing here is secret: the private key never leaves the authenticator.
 *
 * @param credentialId the authenticator's credential id, base64url without padding (the store's key)
 * @param userId       the account it signs in
 * @param publicKey    the credential public key as the authenticator gave it (a COSE_Key, CBOR)
 * @param signCount    the signature counter last accepted (0: the authenticator keeps none)
 * @param transports   the transports the browser reported ({@code internal}, {@code hybrid}, {@code usb}…)
 * @param backupEligible whether the authenticator may sync it (a multi-device passkey)
 * @param backedUp     whether it was backed up at its last use
 * @param aaguid       the authenticator model's AAGUID, as a UUID string (all zeros when not told)
 * @param name         the name its owner gave it
 * @param createdAt    when it was registered
 * @param lastUsedAt   when it last signed in (null: never)
 */
public record StoredPasskey(String credentialId, UserId userId, byte[] publicKey, long signCount,
                            Set<String> transports, boolean backupEligible, boolean backedUp, String aaguid,
                            String name, Instant createdAt, Instant lastUsedAt) {

    public StoredPasskey {
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(userId, "userId");
        publicKey = Objects.requireNonNull(publicKey, "publicKey").clone();
        transports = Set.copyOf(transports);
        Objects.requireNonNull(aaguid, "aaguid");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        if (signCount < 0 || signCount > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("signCount is an unsigned 32-bit number, was " + signCount);
        }
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public StoredPasskey withName(String value) {
        return new StoredPasskey(credentialId, userId, publicKey, signCount, transports, backupEligible, backedUp,
                aaguid, value, createdAt, lastUsedAt);
    }

    public StoredPasskey withUse(long counter, boolean backedUpNow, Instant usedAt) {
        return new StoredPasskey(credentialId, userId, publicKey, counter, transports, backupEligible, backedUpNow,
                aaguid, name, createdAt, usedAt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredPasskey p && credentialId.equals(p.credentialId) && userId.equals(p.userId)
                && java.util.Arrays.equals(publicKey, p.publicKey) && signCount == p.signCount
                && transports.equals(p.transports) && backupEligible == p.backupEligible && backedUp == p.backedUp
                && aaguid.equals(p.aaguid) && name.equals(p.name) && createdAt.equals(p.createdAt)
                && Objects.equals(lastUsedAt, p.lastUsedAt);
    }

    @Override
    public int hashCode() {
        return credentialId.hashCode();
    }
}
