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

    public DelegatingPasswordHasher(PasswordHasher primary, List<PasswordHasher> legacy) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.legacy = List.copyOf(legacy);
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        try (RawPassword unguessable = RawPassword.of(Base64.getEncoder().encodeToString(random))) {
            this.padding = primary.hash(unguessable);
        }
    }

    /** Argon2id at the OWASP defaults, accepting legacy bcrypt hashes. */
    public static DelegatingPasswordHasher argon2idWithBcryptUpgrade() {
        return new DelegatingPasswordHasher(new Argon2idHasher(), List.of(new BcryptVerifier()));
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
        return !primary.supports(hash) || primary.needsRehash(hash);
    }
}
