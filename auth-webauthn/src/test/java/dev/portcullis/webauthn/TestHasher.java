package dev.portcullis.webauthn;

import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.TokenDigest;
import dev.portcullis.spi.PasswordHasher;

/** Unsalted SHA-256 that costs microseconds: tests only. */
final class TestHasher implements PasswordHasher {

    private static final String PREFIX = "$test-sha256$";

    @Override
    public PasswordHash hash(RawPassword password) {
        return new PasswordHash(PREFIX + TokenDigest.of(new String(password.normalized())).hex());
    }

    @Override
    public boolean verify(RawPassword password, PasswordHash hash) {
        return hash.encoded().equals(hash(password).encoded());
    }

    @Override
    public boolean supports(PasswordHash hash) {
        return hash.encoded().startsWith(PREFIX);
    }

    @Override
    public boolean needsRehash(PasswordHash hash) {
        return false;
    }
}
