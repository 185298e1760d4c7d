package dev.portcullis.servlet.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Servlet/JSP examples web app of Apache Tomcat, from the {@code org.apache.tomcat:tomcat}
 * distribution on Maven Central (unpacked by the build), wrapped the way
 * {@code docs/guide/servlet.md} "Wrap an existing app by configuration" says: its code and pages
 * untouched; its {@code web.xml} copied with the guide's context-param added, and the guide's
 * {@code WEB-INF/portcullis.properties} beside it. The copy also leaves out what the embedded test
 * containers cannot run or what Portcullis replaces — the container's own FORM login and its
 * security constraints (Tomcat's authenticator would answer before any filter), and the WebSocket
 * listener (no WebSocket engine in these tests).
 */
final class ExamplesApp {

    private static final Path GUIDE = Path.of("../docs/guide/servlet.md");

    private ExamplesApp() {
    }

    /**
     * A fresh copy in a temporary directory, ready to deploy; {@code testOnly} are context-params
     * added after the guide's (the test's mail server and address, which the guide cannot know).
     */
    static Path prepare(java.util.Map<String, String> testOnly) {
        Path original = Path.of(System.getProperty("portcullis.tomcat.examples", "target/tomcat-dist/examples"));
        assertThat(original.resolve("WEB-INF/web.xml")).as("unpacked by the build (mvn generate-test-resources)").exists();
        try {
            Path copy = Files.createTempDirectory("portcullis-examples");
            try (Stream<Path> files = Files.walk(original)) {
                for (Path p : files.toList()) {
                    Path target = copy.resolve(original.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            String webXml = Files.readString(original.resolve("WEB-INF/web.xml"), StandardCharsets.UTF_8);
            StringBuilder extra = new StringBuilder();
            testOnly.forEach((k, v) -> extra.append("<context-param><param-name>").append(k).append("</param-name><param-value>")
                    .append(v).append("</param-value></context-param>\n"));
            Files.writeString(copy.resolve("WEB-INF/web.xml"), wrapped(webXml, extra.toString()), StandardCharsets.UTF_8);
            Files.writeString(copy.resolve("WEB-INF/portcullis.properties"), guideBlock("portcullis.properties"),
                    StandardCharsets.UTF_8);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The app's web.xml with the guide's context-param after {@code <display-name>}, minus the parts named above. */
    static String wrapped(String webXml, String extra) {
        String xml = webXml;
        for (String element : List.of("security-constraint", "login-config")) {
            xml = xml.replaceAll("(?s)<" + element + ">.*?</" + element + ">", "");
        }
        xml = xml.replaceAll("(?s)<listener>\\s*<listener-class>websocket\\.[^<]*</listener-class>\\s*</listener>", "");
        String param = guideBlock("web.xml");
        int at = xml.indexOf("</display-name>") + "</display-name>".length();
        assertThat(at).isGreaterThan(20);
        return xml.substring(0, at) + "\n" + param + extra + "\n" + xml.substring(at);
    }

    /** The fenced block after {@code <!-- wrap-by-config: name -->} in the servlet guide. */
    static String guideBlock(String name) {
        try {
            String guide = Files.readString(GUIDE, StandardCharsets.UTF_8);
            Matcher m = Pattern.compile("<!-- wrap-by-config: " + Pattern.quote(name) + " -->\\s*```[a-z]*\\n(.*?)```", Pattern.DOTALL)
                    .matcher(guide);
            assertThat(m.find()).as("the guide has the " + name + " block").isTrue();
            return m.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
