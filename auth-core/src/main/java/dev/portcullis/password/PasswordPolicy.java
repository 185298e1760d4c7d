package dev.portcullis.password;

import dev.portcullis.model.RawPassword;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a new password must satisfy, after NIST SP 800-63B-4 §3.1.1.2: a length in Unicode code
 * points (after NFC) between {@link #minLength()} and {@link #maxLength()}, not on the blocklist,
 * not built from context words (the email's local part, the service name). No composition rules
 * ("one digit, one symbol"), no trimming, no truncation.
 *
 * <p>{@link #HARD_CAP} (1024 code points) bounds any password the library will hash, new or
 * presented at login, and is checked before any hashing so a megabyte-long "password" costs
 * nothing. Immutable and thread-safe; build with {@link #builder()}.
 */
public final class PasswordPolicy {

    /** No password longer than this is ever hashed. */
    public static final int HARD_CAP = 1024;
    /** Each UTF-16 char is at most one code point; NFC rarely expands more than threefold. */
    private static final int RAW_CHAR_CAP = HARD_CAP * 4;

    private final int minLength;
    private final int maxLength;
    private final PasswordBlocklist blocklist;

    private PasswordPolicy(Builder b) {
        this.minLength = b.minLength;
        this.maxLength = b.maxLength;
        this.blocklist = b.blocklist;
    }

    /** 15 to 1024 code points (single-factor accounts), built-in {@link CommonPasswords}. */
    public static PasswordPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int minLength() {
        return minLength;
    }

    public int maxLength() {
        return maxLength;
    }

    /**
     * Whether a presented password is too long to be worth hashing (login, current-password
     * checks). Counts cheaply first, so huge input is refused without normalising it.
     */
    public static boolean exceedsHardCap(RawPassword password) {
        return password.rawLength() > RAW_CHAR_CAP || password.codePointCount() > HARD_CAP;
    }

    /**
     * Checks a new password.
     *
     * @param contextWords words the password must not be built on (email, service name); blank
     *                     and short (under 4 characters) entries are ignored
     * @return messages a form can show; empty when the password is acceptable
     */
    public List<String> check(RawPassword password, Collection<String> contextWords) {
        if (password.rawLength() > RAW_CHAR_CAP) {
            return List.of(tooLong());
        }
        char[] chars = password.normalized();
        try {
            int length = Character.codePointCount(chars, 0, chars.length);
            if (length < minLength) {
                return List.of("Use at least " + minLength + " characters.");
            }
            if (length > maxLength) {
                return List.of(tooLong());
            }
            String lower = new String(chars).toLowerCase(Locale.ROOT);
            List<String> problems = new ArrayList<>();
            if (blocklist.isBlocked(lower)) {
                problems.add("This password is too common or predictable. Choose a less obvious one; "
                        + "a few unrelated words work well.");
            }
            for (String word : contextWords) {
                String w = word == null ? "" : Normalizer.normalize(word, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).strip();
                if (w.length() >= 4 && lower.contains(w)) {
                    problems.add("Do not build the password on your email address or the name of this service.");
                    break;
                }
            }
            return List.copyOf(problems);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private String tooLong() {
        return "Use at most " + maxLength + " characters.";
    }

    /** Mutable, single use. Each setter validates its argument at once. */
    public static final class Builder {
        private int minLength = 15;
        private int maxLength = HARD_CAP;
        private PasswordBlocklist blocklist;

        private Builder() {
        }

        /** At least 8 (NIST's floor where a second factor exists); default 15. */
        public Builder minLength(int value) {
            if (value < 8) {
                throw new IllegalArgumentException("minLength must be at least 8 (NIST SP 800-63B-4), was " + value);
            }
            this.minLength = value;
            return this;
        }

        /** Between 64 and {@value PasswordPolicy#HARD_CAP}; default {@value PasswordPolicy#HARD_CAP}. */
        public Builder maxLength(int value) {
            if (value < 64 || value > HARD_CAP) {
                throw new IllegalArgumentException("maxLength must be between 64 and " + HARD_CAP + ", was " + value);
            }
            this.maxLength = value;
            return this;
        }

        /** Replaces the built-in list; combine with {@code CommonPasswords} yourself to keep it. */
        public Builder blocklist(PasswordBlocklist value) {
            this.blocklist = Objects.requireNonNull(value, "blocklist");
            return this;
        }

        public PasswordPolicy build() {
            if (minLength > maxLength) {
                throw new IllegalStateException("minLength " + minLength + " exceeds maxLength " + maxLength);
            }
            if (blocklist == null) {
                blocklist = new CommonPasswords();
            }
            return new PasswordPolicy(this);
        }
    }
}
