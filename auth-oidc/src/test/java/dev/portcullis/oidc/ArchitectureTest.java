package dev.portcullis.oidc;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * auth-oidc proves identities and knows the core; its servlet package alone may use auth-servlet's
 * public API (the endpoints), so an application without servlets can use the protocol part alone.
 */
class ArchitectureTest {

    private static final JavaClasses OIDC = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.portcullis.oidc");

    @Test
    void protocolPartKnowsNoServletNorOtherAdapter() {
        noClasses().that().resideInAPackage("dev.portcullis.oidc")
                .should().dependOnClassesThat().resideInAnyPackage("dev.portcullis.servlet..", "jakarta.servlet..",
                        "dev.portcullis.jdbc..", "dev.portcullis.mail.smtp..", "java.sql..", "javax.sql..")
                .check(OIDC);
    }

    @Test
    void endpointsUseNoStoresOrOtherAdapters() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.portcullis.jdbc..",
                "dev.portcullis.mail.smtp..", "dev.portcullis.memory..", "java.sql..").check(OIDC);
    }

    @Test
    void usesNoCoreInternals() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.portcullis.internal..").check(OIDC);
    }

    @Test
    void timeComesFromTheInjectedClock() {
        noClasses().should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis").check(OIDC);
    }

    @Test
    void staticFieldsAreFinal() {
        fields().that().areStatic().should().beFinal().check(OIDC);
    }
}
