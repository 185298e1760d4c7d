/**
 * Contract tests for the storage ports, and test helpers.
 *
 * <p>Implementing {@code UserStore}, {@code SessionStore} or {@code AttemptStore} yourself? Extend
 * {@link dev.portcullis.testkit.UserStoreContract}, {@link dev.portcullis.testkit.SessionStoreContract}
 * or {@link dev.portcullis.testkit.AttemptStoreContract}, return your store from the factory
 * method, and run the tests: they encode everything the core relies on, concurrency included.
 * {@link dev.portcullis.testkit.MutableClock} moves time without sleeping;
 * {@link dev.portcullis.testkit.ExternalService} finds the databases integration tests use;
 * {@link dev.portcullis.testkit.SkippedTestsSummary} prints at the end of a run which tests it
 * skipped and why.
 * Add this module with {@code <scope>test</scope>}.
 */
package dev.portcullis.testkit;
