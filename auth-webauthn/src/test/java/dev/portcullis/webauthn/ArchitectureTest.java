package dev.portcullis.webauthn;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * auth-webauthn is an adapter: it knows the core and webauthn4j, never the other adapters, and
 * holds only cryptography (no passkey decision, so nothing of the core's internal tier).
 */
class ArchitectureTest {

    private static final JavaClasses WEBAUTHN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.portcullis.webauthn");

    @Test
    void adaptersNeverImportEachOther() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.portcullis.jdbc..", "dev.portcullis.servlet..",
                "dev.portcullis.mail..", "jakarta.servlet..", "java.sql..", "javax.sql..").check(WEBAUTHN);
    }

    @Test
    void usesNoCoreInternalsNorJackson2() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.portcullis.internal..",
                "com.fasterxml.jackson.databind..").check(WEBAUTHN);
    }

    @Test
    void staticFieldsAreFinal() {
        fields().that().areStatic().should().beFinal().check(WEBAUTHN);
    }
}
