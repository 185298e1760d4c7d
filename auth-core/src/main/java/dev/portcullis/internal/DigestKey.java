package dev.portcullis.internal;

import dev.portcullis.model.TokenDigest;
import java.nio.ByteBuffer;

/**
 * A SHA-256 digest as four longs, the key of the per-node caches that every authenticated request
 * reads (sessions by cookie, access tokens by their text): equality and hash come with the record,
 * with no 64-character hex string to build, check, hash and compare per request. The same digest
 * as {@link TokenDigest} ({@link #of(TokenDigest)} converts), never the secret itself.
 */
public record DigestKey(long a, long b, long c, long d) {

    /** The key of {@code TokenDigest.of(text)}, computed without its hex form. */
    public static DigestKey of(String text) {
        ByteBuffer sha = ByteBuffer.wrap(TokenDigest.sha256(text));
        return new DigestKey(sha.getLong(), sha.getLong(), sha.getLong(), sha.getLong());
    }

    /** The key of a digest the stores handed back (invalidations: not on the per-request path). */
    public static DigestKey of(TokenDigest digest) {
        String hex = digest.hex();
        return new DigestKey(Long.parseUnsignedLong(hex, 0, 16, 16), Long.parseUnsignedLong(hex, 16, 32, 16),
                Long.parseUnsignedLong(hex, 32, 48, 16), Long.parseUnsignedLong(hex, 48, 64, 16));
    }

    @Override
    public String toString() {
        return "DigestKey[" + Long.toHexString(a >>> 32) + "…]";
    }
}
