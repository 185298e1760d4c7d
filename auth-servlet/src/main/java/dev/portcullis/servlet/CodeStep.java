package dev.portcullis.servlet;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a sign-in waits for its second factor: the login page with {@value #FLAG}, the pending
 * handle in its cookie. Shared by the password sign-in ({@link SecondFactorEndpoints}) and the
 * sign-ins whose first factor was proved elsewhere ({@link WebAuth#continueAtCodeStep}).
 */
final class CodeStep {

    static final String FLAG = "second-factor";

    private CodeStep() {
    }

    /** The login page at the code step, with {@code next} when it is safe (null: none). */
    static String page(AuthConfig config, String next) {
        String page = config.pages().login();
        return page + (page.contains("?") ? "&" : "?") + FLAG
                + (SafeRedirects.isSafe(next) ? "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8) : "");
    }
}
