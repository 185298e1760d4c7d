package dev.portcullis.model;

import java.util.Objects;

/**
 * A stored password verifier in its self-describing text form (a PHC string such as
 * {@code $argon2id$v=19$m=19456,t=2,p=1$...}, or a legacy {@code $2b$...} bcrypt hash). Any text
 * is accepted here; a value no configured hasher understands is treated as "no usable password".
 */
public record PasswordHash(String encoded) {

    public PasswordHash {
        Objects.requireNonNull(encoded, "encoded");
    }

    /** Only the scheme, so that logs never carry a crackable hash. */
    @Override
    public String toString() {
        int end = encoded.indexOf('$', 1);
        return "PasswordHash[" + (encoded.startsWith("$") && end > 0 ? encoded.substring(1, end) : "?") + "]";
    }
}
