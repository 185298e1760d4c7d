package dev.portcullis.spi;

import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;

/**
 * Turns passwords into verifiers and checks them. Implementations are thread-safe and read the
 * password through {@link RawPassword#normalized()} (NFC), wiping their copies.
 *
 * <p>A wrong password is {@code false}; anything else that goes wrong (native library missing, a
 * corrupt hash of a supported scheme) is a {@link PasswordHasherException}, never {@code false}.
 */
public interface PasswordHasher {

    /** A new verifier with a fresh random salt at the current parameters. */
    PasswordHash hash(RawPassword password);

    /** Whether {@code password} matches {@code hash}. Requires {@link #supports(PasswordHash)}. */
    boolean verify(RawPassword password, PasswordHash hash);

    /** Whether this hasher can verify {@code hash} (by its scheme prefix and shape). */
    boolean supports(PasswordHash hash);

    /**
     * Whether {@code hash} should be replaced by a fresh {@link #hash(RawPassword)} after the next
     * successful verify (weaker parameters, legacy scheme). Defaults to {@code false}.
     */
    default boolean needsRehash(PasswordHash hash) {
        return false;
    }
}
