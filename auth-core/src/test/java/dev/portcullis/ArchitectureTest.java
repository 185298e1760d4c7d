package dev.portcullis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.portcullis.spi.PortcullisException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** DESIGN.md's module map and STYLE.md's rules for auth-core, as executable checks. */
class ArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.portcullis");

    @Test
    void coreKnowsNoServletJdbcOrAdapterTypes() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "jakarta.servlet..", "javax.servlet..", "java.sql..", "javax.sql..",
                        "org.h2..", "org.postgresql..", "org.mariadb..",
                        "jakarta.mail..", "dev.portcullis.jdbc..", "dev.portcullis.servlet..", "dev.portcullis.mail.smtp..",
                        "dev.portcullis.testkit..")
                .check(CORE);
    }

    @Test
    void coreUsesNoReflectionAndNoJavaUtilLogging() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.lang.reflect..", "java.util.logging..")
                .check(CORE);
    }

    @Test
    void timeComesOnlyFromTheInjectedClock() {
        noClasses().should().callMethod(Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(LocalDateTime.class, "now")
                .orShould().callMethod(ZonedDateTime.class, "now")
                .check(CORE);
    }

    @Test
    void staticFieldsAreFinal() {
        fields().that().areStatic().should().beFinal().check(CORE);
    }

    @Test
    void spiHoldsOnlyInterfacesValueTypesAndFaults() {
        classes().that().resideInAPackage("dev.portcullis.spi")
                .and().doNotHaveSimpleName("package-info")
                .should(new ArchCondition<>("be an interface, record, enum or PortcullisException") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        boolean ok = c.isInterface() || c.isRecord() || c.isEnum() || c.isAssignableTo(PortcullisException.class);
                        events.add(new SimpleConditionEvent(c, ok, c.getName() + " is not a port or value type"));
                    }
                })
                .check(CORE);
    }

    @Test
    void lowerLayersDoNotDependOnTheFeaturesOrTheRoot() {
        noClasses().that().resideInAnyPackage("dev.portcullis.model..", "dev.portcullis.spi..",
                        "dev.portcullis.password..", "dev.portcullis.policy..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.portcullis", "dev.portcullis.session..",
                        "dev.portcullis.account..", "dev.portcullis.token..", "dev.portcullis.mfa..", "dev.portcullis.identity..", "dev.portcullis.passkey..",
                        "dev.portcullis.internal..", "dev.portcullis.memory..")
                .check(CORE);
        noClasses().that().resideInAPackage("dev.portcullis.memory..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.portcullis.session..",
                        "dev.portcullis.account..", "dev.portcullis.token..", "dev.portcullis.mfa..", "dev.portcullis.identity..", "dev.portcullis.passkey..",
                        "dev.portcullis.internal..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.portcullis.Portcullis")
                .check(CORE);
    }

    @Test
    void theInternalTierSitsBelowTheFeatures() {
        noClasses().that().resideInAPackage("dev.portcullis.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.portcullis", "dev.portcullis.session..",
                        "dev.portcullis.account..", "dev.portcullis.token..", "dev.portcullis.mfa..", "dev.portcullis.identity..", "dev.portcullis.passkey..",
                        "dev.portcullis.memory..")
                .check(CORE);
    }

    @Test
    void featureServicesDoNotReachEachOtherOrTheCompositionRoot() {
        String[] features = {"dev.portcullis.session..", "dev.portcullis.account..", "dev.portcullis.token..",
                "dev.portcullis.mfa..", "dev.portcullis.identity..", "dev.portcullis.passkey.."};
        for (String feature : features) {
            String[] others = java.util.Arrays.stream(features).filter(f -> !f.equals(feature)).toArray(String[]::new);
            noClasses().that().resideInAPackage(feature)
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .orShould().dependOnClassesThat().resideInAPackage("dev.portcullis")
                    .check(CORE);
        }
    }

    @Test
    void packagesAreFreeOfCyclesTheRootIncluded() {
        slices().assignedFrom(new com.tngtech.archunit.library.dependencies.SliceAssignment() {
            @Override
            public com.tngtech.archunit.library.dependencies.SliceIdentifier getIdentifierOf(JavaClass c) {
                String pkg = c.getPackageName();
                if (pkg.equals("dev.portcullis")) {
                    return com.tngtech.archunit.library.dependencies.SliceIdentifier.of("root");
                }
                if (pkg.startsWith("dev.portcullis.")) {
                    return com.tngtech.archunit.library.dependencies.SliceIdentifier.of(pkg.substring(15).split("\\.")[0]);
                }
                return com.tngtech.archunit.library.dependencies.SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "top-level packages of auth-core, the root package as a slice of its own";
            }
        }).should().beFreeOfCycles().check(CORE);
    }
}
