/** Contract tests every store implementation must pass (JUnit 5 + AssertJ). */
module dev.portcullis.testkit {
    requires transitive dev.portcullis.core;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;
    // SkippedTestsSummary only: a runner that loads it has the launcher.
    requires static org.junit.platform.launcher;

    exports dev.portcullis.testkit;
    // JUnit instantiates the contracts' subclasses and nested classes reflectively.
    opens dev.portcullis.testkit to org.junit.platform.commons;
}
