/**
 * The composition root: {@link dev.portcullis.Portcullis} (built once, it hands out the feature
 * services of {@code session}, {@code account} and {@code token}) and {@link dev.portcullis.Stores},
 * the bundle of store ports it runs on.
 */
package dev.portcullis;
