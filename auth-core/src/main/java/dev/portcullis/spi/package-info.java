/**
 * Ports: the interfaces Portcullis calls to store and hash, and the value types they carry.
 * Implement one to plug in your own storage; prove it with {@code auth-testkit}'s contract tests.
 */
package dev.portcullis.spi;

import dev.portcullis.Portcullis;
