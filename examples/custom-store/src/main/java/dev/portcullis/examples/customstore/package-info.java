/**
 * Worked example: a {@link dev.portcullis.spi.TokenEpochStore} on Redis
 * ({@link dev.portcullis.examples.customstore.RedisTokenEpochStore}), proved by extending
 * {@code dev.portcullis.testkit.TokenEpochStoreContract}. The bigger Redis stores (sessions,
 * throttle counters, remember-me) live in {@code auth-redis}. See {@code docs/guide/custom-store.md}.
 */
package dev.portcullis.examples.customstore;
