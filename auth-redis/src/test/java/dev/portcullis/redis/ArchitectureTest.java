package dev.portcullis.redis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** auth-redis uses the core's API only, and no other adapter. */
@AnalyzeClasses(packages = "dev.portcullis.redis", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noInternal = noClasses().that().resideInAPackage("dev.portcullis.redis..")
            .should().dependOnClassesThat().resideInAPackage("dev.portcullis..internal..");

    @ArchTest
    static final ArchRule noOtherAdapter = noClasses().that().resideInAPackage("dev.portcullis.redis..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.portcullis.jdbc..", "dev.portcullis.servlet..",
                    "dev.portcullis.mail..", "java.sql..");

    @ArchTest
    static final ArchRule noWallClock = noClasses().that().resideInAPackage("dev.portcullis.redis..")
            .should().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis");
}
