package dev.portcullis.servlet;

import dev.portcullis.Portcullis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
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

    /** The core's API is being reshaped: its calls stay in one file (the bearer authenticator has its own). */
    @Test
    void onlyCoreCallsCallsThePortcullisFacade() {
        noClasses().that().doNotHaveSimpleName("CoreCalls").and().doNotHaveSimpleName("TokenBearerAuthenticator")
                .should().callMethodWhere(DescribedPredicate.describe("the target is a method of Portcullis",
                        (JavaMethodCall call) -> call.getTarget().getOwner().isEquivalentTo(Portcullis.class)))
                .check(classes);
    }

    /** The request's session state has one writer, so who changed it is never a question. */
    @Test
    void onlyWebAuthChangesTheSessionOfARequest() {
        noClasses().that().doNotHaveSimpleName("WebAuth").and().doNotHaveSimpleName("SessionChange")
                .should().callMethodWhere(DescribedPredicate.describe("the target is a setter of SessionChange",
                        (JavaMethodCall call) -> call.getTarget().getOwner().getSimpleName().equals("SessionChange")
                                && call.getTarget().getName().startsWith("set")))
                .check(classes);
    }

    /** No two classes of the adapter depend on each other, directly or around a loop (nested classes count as their outer class). */
    @Test
    void classesAreFreeOfCycles() {
        SlicesRuleDefinition.slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                if (!javaClass.getPackageName().equals("dev.portcullis.servlet")) {
                    return SliceIdentifier.ignore();
                }
                String name = javaClass.getName();
                int nested = name.indexOf('$');
                return SliceIdentifier.of(nested < 0 ? name : name.substring(0, nested));
            }

            @Override
            public String getDescription() {
                return "top-level classes of dev.portcullis.servlet";
            }
        }).should().beFreeOfCycles().check(classes);
    }
}
