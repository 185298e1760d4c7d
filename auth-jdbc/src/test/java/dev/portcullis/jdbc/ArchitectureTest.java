package dev.portcullis.jdbc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.portcullis.jdbc", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noServletTypes = noClasses().that().resideInAPackage("dev.portcullis.jdbc..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.portcullis.servlet..", "dev.portcullis.mail.smtp..", "jakarta.servlet..", "javax.servlet..");

    @ArchTest
    static final ArchRule noCoreInternals = noClasses().that().resideInAPackage("dev.portcullis.jdbc..")
            .should().dependOnClassesThat().resideInAPackage("dev.portcullis..internal..");

    @ArchTest
    static final ArchRule noDriverOrPoolClasses = noClasses().that().resideInAPackage("dev.portcullis.jdbc..")
            .and().doNotHaveSimpleName("PostgresRevocationBus")
            .should().dependOnClassesThat().resideInAnyPackage("org.h2..", "org.postgresql..", "org.mariadb..",
                    "com.mysql..", "com.zaxxer..");

    /** LISTEN/NOTIFY has no JDBC API: the PostgreSQL bus alone may use pgjdbc's, and only its public interfaces. */
    @ArchTest
    static final ArchRule theBusUsesOnlyPgjdbcsPublicInterfaces = noClasses().that().haveSimpleName("PostgresRevocationBus")
            .should().dependOnClassesThat().resideInAnyPackage("org.h2..", "org.mariadb..", "com.mysql..", "com.zaxxer..",
                    "org.postgresql.core..", "org.postgresql.jdbc..");

    @ArchTest
    static final ArchRule noWallClock = noClasses().that().resideInAPackage("dev.portcullis.jdbc..")
            .should().callMethod(java.time.Instant.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis");
}
