package dev.portcullis.mail.smtp;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** auth-mail is an adapter: it knows the core and Jakarta Mail, never the other adapters. */
class ArchitectureTest {

    private static final JavaClasses MAIL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.portcullis.mail.smtp");

    @Test
    void adaptersNeverImportEachOther() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.portcullis.jdbc..", "dev.portcullis.servlet..",
                "jakarta.servlet..", "java.sql..", "javax.sql..").check(MAIL);
    }

    @Test
    void usesNoCoreInternals() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.portcullis.internal..").check(MAIL);
    }

    @Test
    void staticFieldsAreFinal() {
        fields().that().areStatic().should().beFinal().check(MAIL);
    }
}
