package dev.portcullis;

import dev.portcullis.model.PasswordHash;
import dev.portcullis.model.RawPassword;
import dev.portcullis.spi.PasswordHasher;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts calls to a real hasher, as Django's and Spring's timing tests do. */
final class CountingHasher implements PasswordHasher {

    private final PasswordHasher delegate;
    final AtomicInteger hashes = new AtomicInteger();
    final AtomicInteger verifies = new AtomicInteger();

    CountingHasher(PasswordHasher delegate) {
        this.delegate = delegate;
    }

    void reset() {
        hashes.set(0);
        verifies.set(0);
    }

    @Override
    public PasswordHash hash(RawPassword password) {
        hashes.incrementAndGet();
        return delegate.hash(password);
    }

    @Override
    public boolean verify(RawPassword password, PasswordHash hash) {
        verifies.incrementAndGet();
        return delegate.verify(password, hash);
    }

    @Override
    public boolean supports(PasswordHash hash) {
        return delegate.supports(hash);
    }

    @Override
    public boolean needsRehash(PasswordHash hash) {
        return delegate.needsRehash(hash);
    }
}
