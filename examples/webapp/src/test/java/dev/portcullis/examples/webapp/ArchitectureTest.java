package dev.portcullis.examples.webapp;

import dev.portcullis.Portcullis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The example uses Portcullis only through its public API, as any application would. */
class ArchitectureTest {

    private static final JavaClasses APP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.portcullis.examples.webapp");

    @Test
    void noInternalsAndNoDirectSql() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.portcullis..internal..", "java.sql..")
                .check(APP);
    }

    @Test
    void pagesNeverTouchStoresDirectly() {
        noClasses().that().haveSimpleNameEndingWith("Servlet")
                .should().dependOnClassesThat().resideInAnyPackage("dev.portcullis.jdbc..", "dev.portcullis.memory..")
                .check(APP);
    }
}
