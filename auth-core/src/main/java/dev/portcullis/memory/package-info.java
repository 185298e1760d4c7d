/** Thread-safe in-memory stores: reference implementations of the ports, and the fakes tests use. */
package dev.portcullis.memory;
