/**
 * Worked example: a {@link dev.portcullis.spi.SessionStore} on Redis
 * ({@link dev.portcullis.examples.customstore.RedisSessionStore}), proved by extending
 * {@code dev.portcullis.testkit.SessionStoreContract}. See {@code docs/guide/custom-store.md}.
 */
package dev.portcullis.examples.customstore;
