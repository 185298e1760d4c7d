package dev.portcullis.password;

import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.spi.PasswordHasher;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Hashes with a primary hasher and verifies with whichever hasher supports the stored hash's
 * scheme, so legacy hashes keep working and are upgraded on the next successful login.
 *
 * <p>A failed verify against a legacy hash is padded with one verify at the primary's cost, so a
 * cheap legacy hash never makes wrong passwords answer faster than the normal path. It does make
 * them slower by one legacy verify: an attacker who times failures can tell that an account still
 * holds an unmigrated hash. Migration closes that (each account upgrades at its next login); for
 * dormant accounts, force a reset.
 */
public final class DelegatingPasswordHasher implements PasswordHasher {

    private final PasswordHasher primary;
    private final List<PasswordHasher> legacy;
    private final PasswordHash padding;
    private final boolean upgradeLegacy;

    public DelegatingPasswordHasher(PasswordHasher primary, List<PasswordHasher> legacy) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.legacy = List.copyOf(legacy);
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        try (RawPassword unguessable = RawPassword.of(Base64.getEncoder().encodeToString(random))) {
            this.padding = primary.hash(unguessable);
        }
        this.upgradeLegacy = true;
    }

    private DelegatingPasswordHasher(DelegatingPasswordHasher upgrading) {
        this.primary = upgrading.primary;
        this.legacy = upgrading.legacy;
        this.padding = upgrading.padding;
        this.upgradeLegacy = false;
    }

    /** Argon2id at the OWASP defaults, accepting legacy bcrypt hashes. */
    public static DelegatingPasswordHasher argon2idWithBcryptUpgrade() {
        return new DelegatingPasswordHasher(new Argon2idHasher(), List.of(new BcryptVerifier()));
    }

    /**
     * The same hasher, except that legacy hashes are kept as they are after a successful login
     * instead of being replaced by the primary's ({@link #needsRehash} is false for them). For
     * the transition from an existing application that shares the user table: the old app can
     * still verify every password it wrote until the cut-over, after which the upgrading hasher
     * takes over. New passwords (registration, change, reset) are still hashed by the primary,
     * which the old app cannot verify.
     */
    public DelegatingPasswordHasher keepingLegacyHashes() {
        return upgradeLegacy ? new DelegatingPasswordHasher(this) : this;
    }

    @Override
    public PasswordHash hash(RawPassword password) {
        return primary.hash(password);
    }

    @Override
    public boolean verify(RawPassword password, PasswordHash hash) {
        if (primary.supports(hash)) {
            return primary.verify(password, hash);
        }
        for (PasswordHasher hasher : legacy) {
            if (hasher.supports(hash)) {
                boolean ok = hasher.verify(password, hash);
                if (!ok) {
                    primary.verify(password, padding);
                }
                return ok;
            }
        }
        throw new IllegalArgumentException("no hasher supports " + hash);
    }

    @Override
    public boolean supports(PasswordHash hash) {
        return primary.supports(hash) || legacy.stream().anyMatch(h -> h.supports(hash));
    }

    @Override
    public boolean needsRehash(PasswordHash hash) {
        if (!primary.supports(hash)) {
            return upgradeLegacy;
        }
        return primary.needsRehash(hash);
    }
}
