package dev.portcullis.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestPathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/app/admin;x", "/app/;/admin", "/app/admin/.", "/app/public/..;/admin", "/app//admin",
        "/app/admin%0a", "/app/admin;jsessionid=1", "/app/%2e%2e/admin", "/app/%2E/admin", "/app/admin%2f", "/app/admin%5C",
        "/app/admin%3b", "/app/admin%00", "/app/admin%252f", "/app/%c0%ae%c0%ae/", "/app/%ff", "/app/%", "/app/%g1",
        "/app/a\\b", "/app/a b", "/app/\u00e9", "/apple/admin", "/ap", "admin", "/app/..", "/app/admin/..", "/app/./"})
    void refusesAmbiguousOrMalformedPaths(String uri) {
        assertThat(RequestPaths.normalize(uri, "/app")).as(uri).isEmpty();
    }

    @Test
    void decodesOnceAndStripsTheContextPath() {
        assertThat(RequestPaths.normalize("/app/%61dmin", "/app")).contains("/admin");
        assertThat(RequestPaths.normalize("/app/admin/", "/app")).contains("/admin/");
        assertThat(RequestPaths.normalize("/app", "/app")).contains("/");
        assertThat(RequestPaths.normalize("/%61pp/x", "/%61pp")).contains("/x");
        assertThat(RequestPaths.normalize("/caf%C3%A9", "")).contains("/caf\u00e9");
        assertThat(RequestPaths.normalize("/", "")).contains("/");
    }

    @Test
    void patternWithSpaceOrControlCharacterIsRefused() {
        for (String bad : new String[] {"/a b", "/a\tb", "/a\u007fb", "/a\u0000", " /a"}) {
            assertThatThrownBy(() -> new PathPattern(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(new PathPattern("/a-b_c.d~e").matches("/a-b_c.d~e")).isTrue();
    }

    @Test
    void patternsTreatTrailingSlashAlikeAndProtectIgnoringCase() {
        PathPattern admin = new PathPattern("/admin/*");
        assertThat(admin.matchesIgnoringCase("/admin")).isTrue();
        assertThat(admin.matchesIgnoringCase("/admin/")).isTrue();
        assertThat(admin.matchesIgnoringCase("/ADMIN/x")).isTrue();
        assertThat(admin.matchesIgnoringCase("/administrator")).isFalse();
        PathPattern exact = new PathPattern("/account");
        assertThat(exact.matches("/account/")).isTrue();
        assertThat(exact.matches("/account/x")).isFalse();
        assertThat(exact.matches("/ACCOUNT")).isFalse();
        assertThat(new PathPattern("/*").matches("/anything")).isTrue();
    }

    @Test
    void pageWithoutQueryOrFragmentIsWhatIsMatchedAndDispatchedTo() {
        assertThat(RequestPaths.pathOnly("/login?expired")).isEqualTo("/login");
        assertThat(RequestPaths.pathOnly("/login#form")).isEqualTo("/login");
        assertThat(RequestPaths.pathOnly("/login?a#b?c")).isEqualTo("/login");
        assertThat(RequestPaths.pathOnly("/login")).isEqualTo("/login");
    }

    @Test
    void dispatchTargetsWithAmbiguousFormsAreRefused() {
        for (String bad : new String[] {"admin", "//admin", "/a;b", "/a\\b", "/a/./b", "/a/../b", "/a\u0000"}) {
            assertThat(RequestPaths.unambiguous(bad)).as(bad).isFalse();
        }
        assertThat(RequestPaths.unambiguous("/admin/x")).isTrue();
    }

    @Test
    void theMediaTypeIsParsedIgnoringParametersAndCase() {
        assertThat(Bodies.kind("application/json")).isEqualTo(Bodies.Kind.JSON);
        assertThat(Bodies.kind(" Application/JSON ; charset=UTF-8")).isEqualTo(Bodies.Kind.JSON);
        assertThat(Bodies.kind("application/problem+json")).isEqualTo(Bodies.Kind.JSON);
        assertThat(Bodies.kind("text/json")).isEqualTo(Bodies.Kind.OTHER);
        assertThat(Bodies.kind("application/x-www-form-urlencoded;charset=utf-8")).isEqualTo(Bodies.Kind.FORM);
        assertThat(Bodies.kind("multipart/form-data; boundary=x")).isEqualTo(Bodies.Kind.MULTIPART);
        assertThat(Bodies.kind(null)).isEqualTo(Bodies.Kind.OTHER);
        assertThat(Bodies.kind("text/plain")).isEqualTo(Bodies.Kind.OTHER);
        assertThat(Bodies.Kind.MULTIPART.isForm()).isTrue();
        assertThat(Bodies.Kind.JSON.isForm()).isFalse();
    }

    /** The dot-segment and double-slash rules as they were before the loop replaced split, for paths without '%'. */
    private static java.util.Optional<String> referenceWithoutPercent(String uri, String context) {
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == ';' || c == '\\' || c <= 0x20 || c >= 0x7f) {
                return java.util.Optional.empty();
            }
        }
        if (!uri.startsWith("/") || uri.contains("//")) {
            return java.util.Optional.empty();
        }
        for (String segment : uri.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return java.util.Optional.empty();
            }
        }
        if (!uri.startsWith(context) || (uri.length() > context.length() && uri.charAt(context.length()) != '/')) {
            return java.util.Optional.empty();
        }
        String in = uri.substring(context.length());
        return java.util.Optional.of(in.isEmpty() ? "/" : in);
    }

    @Test
    void pathsWithoutPercentAreJudgedAsBeforeOnEveryCombinationOfAwkwardSegments() {
        String[] segments = {"", ".", "..", "...", "a", "a.", ".a", "..a", "app", "x;y"};
        java.util.List<String> uris = new java.util.ArrayList<>();
        for (String a : segments) {
            uris.add("/" + a);
            for (String b : segments) {
                uris.add("/" + a + "/" + b);
                for (String c : segments) {
                    uris.add("/" + a + "/" + b + "/" + c);
                    for (String d : segments) {
                        uris.add("/" + a + "/" + b + "/" + c + "/" + d);
                    }
                }
            }
        }
        int accepted = 0;
        for (String context : new String[] {"", "/app"}) {
            for (String uri : uris) {
                java.util.Optional<String> expected = referenceWithoutPercent(uri, context);
                assertThat(RequestPaths.normalize(uri, context)).as("%s under '%s'", uri, context).isEqualTo(expected);
                accepted += expected.isPresent() ? 1 : 0;
            }
        }
        assertThat(accepted).as("the combinations include acceptable paths").isGreaterThan(100);
    }
}
