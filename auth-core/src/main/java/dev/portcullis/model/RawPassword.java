package dev.portcullis.model;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A password as typed, held in a {@code char[]} that {@link #close()} overwrites.
 *
 * <p>Every use goes through {@link #normalized()}, which applies Unicode NFC, so a password typed
 * as composed {@code é} (U+00E9) and as decomposed {@code e + U+0301} is the same password. Nothing
 * else is changed: no trimming, no truncation, no case folding.
 *
 * <p>Not thread-safe; meant to live for one request. {@link #toString()} never reveals the value.
 * A JVM cannot promise that no copy survives (a {@code String} a web container made from the
 * request is beyond reach), so wiping narrows the window rather than closing it.
 */
public final class RawPassword implements AutoCloseable {

    private final char[] chars;
    private boolean wiped;

    private RawPassword(char[] chars) {
        this.chars = chars;
    }

    /** Takes ownership of {@code chars}: they are wiped by {@link #close()}. */
    public static RawPassword of(char[] chars) {
        return new RawPassword(Objects.requireNonNull(chars, "chars"));
    }

    /** Copies {@code text}; the {@code String} itself cannot be wiped. */
    public static RawPassword of(String text) {
        return new RawPassword(Objects.requireNonNull(text, "text").toCharArray());
    }

    /** Number of UTF-16 chars as given, before normalisation (cheap; used to refuse huge input early). */
    public int rawLength() {
        requireLive();
        return chars.length;
    }

    /** Whether nothing was typed. */
    public boolean isEmpty() {
        requireLive();
        return chars.length == 0;
    }

    /** A fresh NFC-normalised copy; the caller wipes it ({@code Arrays.fill(copy, '\0')}). */
    public char[] normalized() {
        requireLive();
        CharBuffer buffer = CharBuffer.wrap(chars);
        if (Normalizer.isNormalized(buffer, Normalizer.Form.NFC)) {
            return chars.clone();
        }
        return Normalizer.normalize(buffer, Normalizer.Form.NFC).toCharArray();
    }

    /** Length in Unicode code points after NFC: what a password policy counts. */
    public int codePointCount() {
        char[] n = normalized();
        try {
            return Character.codePointCount(n, 0, n.length);
        } finally {
            Arrays.fill(n, '\0');
        }
    }

    /** Constant-time equality of the normalised forms (for "confirm password" fields). */
    public boolean sameAs(RawPassword other) {
        byte[] a = utf8(normalized());
        byte[] b = utf8(other.normalized());
        try {
            return MessageDigest.isEqual(a, b);
        } finally {
            Arrays.fill(a, (byte) 0);
            Arrays.fill(b, (byte) 0);
        }
    }

    private static byte[] utf8(char[] chars) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        Arrays.fill(chars, '\0');
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    private void requireLive() {
        if (wiped) {
            throw new IllegalStateException("password was already wiped");
        }
    }

    /** Overwrites the characters. Idempotent. */
    @Override
    public void close() {
        Arrays.fill(chars, '\0');
        wiped = true;
    }

    @Override
    public String toString() {
        return "RawPassword[redacted]";
    }
}
