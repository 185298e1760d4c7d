package dev.portcullis.password;

/**
 * Argon2id cost parameters. {@link #OWASP_2023} is both the default and the floor: weaker values
 * are refused at construction, so a typo cannot silently weaken every stored password.
 *
 * @param memoryKiB   memory per computation, in KiB; at least 19456
 * @param iterations  passes over memory; at least 2
 * @param parallelism lanes; at least 1
 */
public record Argon2Parameters(int memoryKiB, int iterations, int parallelism) {

    /** OWASP Password Storage Cheat Sheet (2023): m=19456 KiB (19 MiB), t=2, p=1. Never redefined. */
    public static final Argon2Parameters OWASP_2023 = new Argon2Parameters(19456, 2, 1);

    public Argon2Parameters {
        if (memoryKiB < 19456 || iterations < 2 || parallelism < 1) {
            throw new IllegalArgumentException("Argon2id parameters below the OWASP floor (m=19456 KiB, t=2, p=1): m="
                    + memoryKiB + ", t=" + iterations + ", p=" + parallelism);
        }
        if (memoryKiB > 4 * 1024 * 1024 || iterations > 100 || parallelism > 64) {
            throw new IllegalArgumentException("Argon2id parameters implausibly high (m <= 4 GiB, t <= 100, p <= 64)");
        }
    }
}
