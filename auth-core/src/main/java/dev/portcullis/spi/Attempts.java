package dev.portcullis.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Failed attempts counted under one throttling key in the current window.
 *
 * @param failures      at least 1
 * @param windowStart   first failure of the window
 * @param lastFailureAt latest failure
 */
public record Attempts(int failures, Instant windowStart, Instant lastFailureAt) {

    public Attempts {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be positive");
        }
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(lastFailureAt, "lastFailureAt");
    }
}
