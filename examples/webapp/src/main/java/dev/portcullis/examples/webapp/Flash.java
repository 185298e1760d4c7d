package dev.portcullis.examples.webapp;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Optional;

/**
 * One-shot messages shown on the next page ("Welcome!", "You are logged out."). The cookie holds
 * only a key from a fixed table, never text, so a crafted cookie cannot inject content. It is
 * {@code Secure} over HTTPS, and always when the app is told it runs behind TLS
 * ({@code PORTCULLIS_SECURE_COOKIES}). Immutable.
 */
final class Flash {

    static final String COOKIE = "flash";

    /** A message to show, with its kind (success, info, error) for styling. */
    record Message(String kind, String text) {
    }

    private static final Map<String, Message> MESSAGES = Map.ofEntries(
            Map.entry("welcome", new Message("success", "Welcome! Your account is ready and you are logged in.")),
            Map.entry("logged-in", new Message("success", "You are logged in.")),
            Map.entry("logged-out", new Message("info", "You are logged out.")),
            Map.entry("password-changed", new Message("success", "Your password was changed. Other sessions were logged out.")),
            Map.entry("others-logged-out", new Message("success", "Every other session was logged out.")),
            Map.entry("check-inbox", new Message("info", "Check your inbox: we sent you a link to confirm your address.")),
            Map.entry("verified", new Message("success", "Your email address is verified.")),
            Map.entry("link-invalid", new Message("error", "That link is invalid or has expired. Request a new one.")),
            Map.entry("reset-sent", new Message("info", "If an account exists for that address, we sent it a link to reset the password.")),
            Map.entry("password-reset", new Message("success", "Your password was reset. Log in with the new one.")),
            Map.entry("email-change-sent", new Message("info", "We sent a confirmation link to the new address. Your address changes when you follow it.")),
            Map.entry("email-changed", new Message("success", "Your email address was changed. Log in with the new address.")),
            Map.entry("email-taken", new Message("error", "That address is now used by another account; nothing was changed.")),
            Map.entry("verification-resent", new Message("info", "If your address still needs confirming, a new link is on its way.")),
            Map.entry("login-required", new Message("info", "Please log in to see that page.")),
            Map.entry("token-created", new Message("success", "Token created. Copy it now: it will not be shown again.")),
            Map.entry("token-revoked", new Message("success", "Token revoked.")),
            Map.entry("mfa-removed", new Message("success", "The authenticator app was removed: two-factor sign-in is off.")),
            Map.entry("reauthenticated", new Message("success", "Thank you. You can continue.")),
            Map.entry("passkey-renamed", new Message("success", "Passkey renamed.")),
            Map.entry("passkey-deleted", new Message("success", "Passkey deleted. It no longer signs in to this account.")));

    private final boolean alwaysSecure;

    Flash(boolean alwaysSecure) {
        this.alwaysSecure = alwaysSecure;
    }

    void set(HttpServletRequest request, HttpServletResponse response, String key) {
        if (!MESSAGES.containsKey(key)) {
            throw new IllegalArgumentException("unknown flash " + key);
        }
        response.addHeader("Set-Cookie", COOKIE + "=" + key + "; Path=/; Max-Age=60; HttpOnly; SameSite=Lax"
                + secure(request));
    }

    /** Reads and clears the message for this page. */
    Optional<Message> take(HttpServletRequest request, HttpServletResponse response) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (COOKIE.equals(cookie.getName())) {
                response.addHeader("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
                        + secure(request));
                return Optional.ofNullable(MESSAGES.get(cookie.getValue()));
            }
        }
        return Optional.empty();
    }

    private String secure(HttpServletRequest request) {
        return alwaysSecure || request.isSecure() ? "; Secure" : "";
    }
}
