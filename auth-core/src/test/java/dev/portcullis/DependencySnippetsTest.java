package dev.portcullis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Maven snippets of the README and the guides: the Portcullis versions come from the BOM
 * (imported at this build's version), never written next to a module; and the BOM names every
 * library module.
 */
class DependencySnippetsTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern XML_BLOCK = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

    @Test
    void theReadmeImportsTheBomOfThisVersion() throws IOException {
        List<String> boms = portcullisDependencies(ROOT.resolve("README.md")).stream()
                .filter(d -> d.contains("<artifactId>auth-bom</artifactId>")).toList();

        assertThat(boms).hasSize(1);
        assertThat(boms.get(0)).contains("<version>" + projectVersion() + "</version>")
                .contains("<type>pom</type>").contains("<scope>import</scope>");
    }

    @Test
    void noSnippetWritesTheVersionOfAPortcullisModule() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> guides = Files.list(ROOT.resolve("docs/guide"))) {
            guides.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        for (Path page : pages) {
            for (String dependency : portcullisDependencies(page)) {
                if (dependency.contains("<artifactId>auth-bom</artifactId>")) {
                    assertThat(dependency).as(page + ": the BOM import").contains("<version>" + projectVersion() + "</version>");
                } else {
                    assertThat(dependency).as(page + ": a Portcullis module takes its version from the BOM")
                            .doesNotContain("<version>");
                }
            }
        }
    }

    @Test
    void theBomNamesEveryLibraryModule() throws IOException {
        String bom = Files.readString(ROOT.resolve("auth-bom/pom.xml"));
        Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        List<String> libraries = new ArrayList<>();
        while (modules.find()) {
            if (Files.exists(ROOT.resolve(modules.group(1)).resolve("src/main/java/module-info.java"))) {
                libraries.add(modules.group(1));
            }
        }

        assertThat(libraries).contains("auth-core", "auth-jdbc", "auth-servlet");
        for (String library : libraries) {
            assertThat(bom).contains("<artifactId>" + library + "</artifactId><version>${project.version}</version>");
        }
        assertThat(bom).contains("<version>" + projectVersion() + "</version>");
    }

    private static List<String> portcullisDependencies(Path page) throws IOException {
        List<String> found = new ArrayList<>();
        Matcher blocks = XML_BLOCK.matcher(Files.readString(page));
        while (blocks.find()) {
            Matcher dependencies = DEPENDENCY.matcher(blocks.group(1));
            while (dependencies.find()) {
                if (dependencies.group(1).contains("<groupId>dev.portcullis</groupId>")) {
                    found.add(dependencies.group(1));
                }
            }
        }
        return found;
    }

    /** The parent pom's own version: the first {@code <version>} after its artifactId. */
    private static String projectVersion() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Matcher version = Pattern.compile("<artifactId>portcullis-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        assertThat(version.find()).as("version of portcullis-parent in pom.xml").isTrue();
        return version.group(1);
    }
}
