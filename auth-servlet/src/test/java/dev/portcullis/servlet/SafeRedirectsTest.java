package dev.portcullis.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

class SafeRedirectsTest {

    @ParameterizedTest
    @FieldSource("dev.portcullis.servlet.AbstractAuthFilterContainerTest#EVIL_NEXT")
    void refusesEveryOpenRedirectVariant(String next) {
        assertThat(SafeRedirects.isSafe(next)).isFalse();
        assertThat(SafeRedirects.sanitize(next, "/home")).isEqualTo("/home");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%2F%2Fevil.com", "/%252F%252Fevil.com", "/%25252F%25252Fevil.com", "/%5C%5Cevil.com",
        "/%E3%80%82evil.com/%0a", "/x/%2e%2e/%2e%2e/y", "/%c0%ae", "/%e0%80", "/%", "/%zz", "/%2", "",
        "/\u00e9", "/a\u2028b", "/a%e2%80%a8b"})
    void refusesEncodedAndMalformedForms(String next) {
        assertThat(SafeRedirects.isSafe(next)).as(next).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/account", "/account/settings?tab=2&x=%2F", "/a%20b", "/search?q=a+b#top", "/caf%C3%A9"})
    void acceptsSameApplicationPaths(String next) {
        assertThat(SafeRedirects.sanitize(next, "/home")).isEqualTo(next);
    }

    @ParameterizedTest
    @ValueSource(ints = {SafeRedirects.MAX_LENGTH + 1})
    void refusesOverlongTargets(int length) {
        assertThat(SafeRedirects.isSafe("/" + "a".repeat(length - 1))).isFalse();
        assertThat(SafeRedirects.isSafe(null)).isFalse();
    }
}
