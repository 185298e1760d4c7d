package dev.portcullis.model;

import java.util.Objects;
import java.util.UUID;

/**
 * Identifies an account. Opaque to the library: new accounts get a random UUID, while a store
 * mapped onto an existing table may use that table's key (for example {@code "42"}).
 *
 * @param value non-blank, at most 64 characters
 */
public record UserId(String value) {

    public UserId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 64) {
            throw new IllegalArgumentException("UserId must be 1 to 64 non-blank characters");
        }
    }

    /** A new random identifier (a type 4 UUID from the JDK's {@code SecureRandom}). */
    public static UserId random() {
        return new UserId(UUID.randomUUID().toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
