package dev.portcullis.testkit;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints, once at the end of a test run, which tests were skipped and why, grouped by reason —
 * so that a run without the services of {@link ExternalService} (or without a browser) says so on
 * the console instead of only in the surefire reports.
 *
 * <p>A test counts as skipped when it was aborted (a {@code TestAbortedException}, as thrown by
 * {@link ExternalService} and by JUnit's {@code Assumptions}) or disabled. When a whole class is
 * aborted in {@code @BeforeAll}, each of its tests that did not run counts once. A run with nothing
 * skipped prints nothing. The output looks like:
 *
 * <pre>
 * Skipped: 42 tests in 3 classes (they run when their service is configured; CI=true makes this a failure)
 *   30 tests, 2 classes (JdbcSessionStorePostgreSqlTest, JdbcUserStorePostgreSqlTest):
 *      PostgreSQL not configured: set PORTCULLIS_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:5432/test?user=postgres
 *   12 tests, 1 class (JdbcUserStoreMariaDbTest):
 *      MariaDB not configured: set PORTCULLIS_TEST_MARIADB_URL=jdbc:mariadb://127.0.0.1:3306/test?user=root
 * </pre>
 *
 * <p>Register it for a module's tests with a file
 * {@code src/test/resources/META-INF/services/org.junit.platform.launcher.TestExecutionListener}
 * that contains the line {@code dev.portcullis.testkit.SkippedTestsSummary}; JUnit loads it
 * through {@link java.util.ServiceLoader}. It needs {@code org.junit.platform:junit-platform-launcher}
 * at test run time, which every JUnit Platform runner (Maven Surefire, Gradle, IDEs) provides.
 *
 * <p>Thread-safe: tests running in parallel may report concurrently.
 */
public final class SkippedTestsSummary implements TestExecutionListener {

    private static final int CLASS_NAMES_SHOWN = 4;

    private final PrintStream out;
    private final Set<String> started = new HashSet<>();
    /** Reason → skipped test ids, in the order the reasons first appeared. */
    private final Map<String, Set<String>> skippedByReason = new LinkedHashMap<>();
    /** Skipped test id → the class it belongs to (simple name). */
    private final Map<String, String> classOf = new LinkedHashMap<>();
    private TestPlan plan;

    /** Prints to {@link System#out}; the constructor {@link java.util.ServiceLoader} uses. */
    public SkippedTestsSummary() {
        this(System.out);
    }

    /**
     * Prints to {@code out}.
     *
     * @param out where the summary goes, e.g. a stream a test inspects
     */
    public SkippedTestsSummary(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        started.clear();
        skippedByReason.clear();
        classOf.clear();
    }

    @Override
    public synchronized void executionStarted(TestIdentifier testIdentifier) {
        started.add(testIdentifier.getUniqueId());
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier testIdentifier, String reason) {
        record(testIdentifier, reason == null || reason.isBlank() ? "disabled" : reason);
    }

    @Override
    public synchronized void executionFinished(TestIdentifier testIdentifier, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String reason = result.getThrowable().map(SkippedTestsSummary::reasonOf).orElse("aborted");
            record(testIdentifier, reason);
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        if (skippedByReason.isEmpty()) {
            return;
        }
        int tests = classOf.size();
        Set<String> classes = new TreeSet<>(classOf.values());
        StringBuilder text = new StringBuilder();
        text.append("Skipped: ").append(count(tests, "test")).append(" in ").append(count(classes.size(), "class"))
                .append(" (they run when their service is configured; CI=true makes this a failure)")
                .append(System.lineSeparator());
        skippedByReason.forEach((reason, ids) -> {
            Set<String> classesOfReason = new TreeSet<>();
            ids.forEach(id -> classesOfReason.add(classOf.get(id)));
            text.append("  ").append(count(ids.size(), "test")).append(", ")
                    .append(count(classesOfReason.size(), "class")).append(" (").append(names(classesOfReason))
                    .append("):").append(System.lineSeparator())
                    .append("     ").append(reason).append(System.lineSeparator());
        });
        out.print(text);
        out.flush();
    }

    /** Counts {@code identifier} (a test, or every test under a container that did not run) under {@code reason}. */
    private void record(TestIdentifier identifier, String reason) {
        Set<String> ids = skippedByReason.computeIfAbsent(reason, r -> new LinkedHashSet<>());
        for (TestIdentifier test : testsNotRun(identifier)) {
            if (!classOf.containsKey(test.getUniqueId())) {
                ids.add(test.getUniqueId());
                classOf.put(test.getUniqueId(), className(test));
            }
        }
        if (ids.isEmpty()) {
            skippedByReason.remove(reason);
        }
    }

    /**
     * The identifier itself when it is a test; for a container, every test below it that never
     * started, a test template whose invocations were never registered counting as one test.
     */
    private List<TestIdentifier> testsNotRun(TestIdentifier identifier) {
        List<TestIdentifier> tests = new ArrayList<>();
        if (identifier.isTest() || plan == null) {
            tests.add(identifier);
            return tests;
        }
        for (TestIdentifier descendant : plan.getDescendants(identifier)) {
            boolean leaf = descendant.isTest()
                    || (descendant.isContainer() && plan.getChildren(descendant).isEmpty()
                        && descendant.getSource().filter(MethodSource.class::isInstance).isPresent());
            if (leaf && !started.contains(descendant.getUniqueId())) {
                tests.add(descendant);
            }
        }
        if (tests.isEmpty() && identifier.getSource().filter(ClassSource.class::isInstance).isPresent()
                && !started.contains(identifier.getUniqueId())) {
            tests.add(identifier); // a class with no test found: count the class itself
        }
        return tests;
    }

    /**
     * The outermost test class the test belongs to, without its package ({@code PortcullisTest} for
     * a test of the nested {@code PortcullisTest.Login}).
     */
    private String className(TestIdentifier test) {
        Optional<TestIdentifier> current = Optional.of(test);
        String name = null;
        while (current.isPresent()) {
            TestIdentifier node = current.get();
            if (node.getSource().orElse(null) instanceof ClassSource source) {
                name = source.getClassName();
            } else if (name == null && node.getSource().orElse(null) instanceof MethodSource source) {
                name = source.getClassName();
            }
            current = plan == null ? Optional.empty() : plan.getParent(node);
        }
        if (name == null) {
            return test.getDisplayName();
        }
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String reasonOf(Throwable throwable) {
        String message = throwable.getMessage();
        if (message == null || message.isBlank()) {
            return throwable.getClass().getSimpleName();
        }
        // Assumptions prefix their message; the reason is what follows.
        return message.startsWith("Assumption failed: ") ? message.substring("Assumption failed: ".length()) : message;
    }

    private static String names(Set<String> classes) {
        List<String> shown = new ArrayList<>(classes).subList(0, Math.min(CLASS_NAMES_SHOWN, classes.size()));
        String joined = String.join(", ", shown);
        return classes.size() > CLASS_NAMES_SHOWN ? joined + ", ... " + (classes.size() - CLASS_NAMES_SHOWN) + " more" : joined;
    }

    private static String count(int n, String noun) {
        return n + " " + (n == 1 ? noun : noun.equals("class") ? "classes" : noun + "s");
    }
}
