package dev.portcullis.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.opentest4j.TestAbortedException;

/** Runs small test classes on a real JUnit Platform launcher and reads what the summary prints. */
class SkippedTestsSummaryTest {

    private static final String NO_X = "X not configured: set PORTCULLIS_TEST_X=x://host";

    @Test
    void skipsAreGroupedByReasonWithTheirCountsAndClasses() {
        String printed = run(NeedsXForEverything.class, AlsoNeedsX.class, SkipsOneTest.class);

        assertThat(printed).isEqualTo("""
                Skipped: 5 tests in 3 classes (they run when their service is configured; CI=true makes this a failure)
                  4 tests, 2 classes (SkippedTestsSummaryTest$AlsoNeedsX, SkippedTestsSummaryTest$NeedsXForEverything):
                     X not configured: set PORTCULLIS_TEST_X=x://host
                  1 test, 1 class (SkippedTestsSummaryTest$SkipsOneTest):
                     no browser here
                """.replace("\n", System.lineSeparator()));
    }

    @Test
    void onlyTheTestsOfAnAbortedNestedClassCount() {
        String printed = run(AbortsInsideANestedClass.class);

        assertThat(printed).contains("Skipped: 1 test in 1 class").contains(NO_X);
    }

    @Test
    void aRunWithoutSkipsPrintsNothing() {
        assertThat(run(RunsEverything.class)).isEmpty();
    }

    private static String run(Class<?>... classes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        for (Class<?> type : classes) {
            request.selectors(selectClass(type));
        }
        // Only the listener under test: not the ones registered for this module's own run.
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false).build());
        launcher.execute(request.build(), new SkippedTestsSummary(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    // The classes below are run only by run(...): surefire does not pick nested classes, and they
    // are not @Nested in this class.

    static class NeedsXForEverything {
        @BeforeAll
        static void needX() {
            throw new TestAbortedException(NO_X);
        }

        @Test
        void one() {
        }

        @Test
        void two() {
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3})
        void template(int value) {
        }
    }

    static class AlsoNeedsX {
        @BeforeAll
        static void needX() {
            throw new TestAbortedException(NO_X);
        }

        @Test
        void one() {
        }
    }

    static class SkipsOneTest {
        @Test
        void runs() {
        }

        @Test
        void needsABrowser() {
            Assumptions.assumeTrue(false, "no browser here");
        }
    }

    static class AbortsInsideANestedClass {
        @Test
        void runs() {
        }

        @Nested
        class Inner {
            @BeforeAll
            static void needX() {
                throw new TestAbortedException(NO_X);
            }

            @Test
            void skipped() {
            }
        }
    }

    static class RunsEverything {
        @Test
        void runs() {
        }
    }
}
