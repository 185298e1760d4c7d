package dev.portcullis.password;

/**
 * Decides whether a password is too predictable to allow: a common or breached password, or a
 * pluggable lookup such as a local copy of a breach corpus. Thread-safe.
 */
@FunctionalInterface
public interface PasswordBlocklist {

    /**
     * @param normalizedLowerCase the candidate after NFC and {@code toLowerCase(Locale.ROOT)}
     */
    boolean isBlocked(String normalizedLowerCase);

    /** Accepts everything. */
    static PasswordBlocklist none() {
        return p -> false;
    }
}
