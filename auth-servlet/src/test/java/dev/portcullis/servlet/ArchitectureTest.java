package dev.portcullis.servlet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.portcullis.servlet");

    @Test
    void usesNoJdbcAndNoOtherAdapter() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.portcullis.jdbc..", "dev.portcullis.mail.smtp..", "java.sql..", "javax.sql..")
                .check(classes);
    }

    @Test
    void usesNoCoreInternals() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.portcullis.internal..").check(classes);
    }

    @Test
    void usesNoContainerSpecificClasses() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "org.apache.catalina..",
                "org.apache.tomcat..").check(classes);
    }
}
