package dev.portcullis.examples.webapp;

import dev.portcullis.model.CurrentUser;
import dev.portcullis.session.ActiveSession;

import dev.portcullis.servlet.AuthAttributes;
import dev.portcullis.servlet.WebAuth;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import dev.portcullis.session.LogoutOthersResult;
import dev.portcullis.token.ApiKeyResult;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /profile} (protected by the filter): email, creation time, active sessions;
 * {@code POST /profile/logout-others} ends every other session.
 */
final class ProfileServlet extends AppServlet {

    private static final long serialVersionUID = 1L;

    ProfileServlet(App app) {
        super(app);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        show(request, response, 200, null, Map.of());
    }

    private void show(HttpServletRequest request, HttpServletResponse response, int status, String newToken,
                      Map<String, ?> errors) throws IOException {
        CurrentUser me = AuthAttributes.currentUser(request).orElseThrow();
        Map<String, Object> model = page(request, response);
        model.put("errors", errors);
        if (newToken != null) {
            model.put("newToken", newToken);
        }
        String csrf = (String) model.get("csrf");
        model.put("apiKeys", app.apiKeys().list(me.id()).stream()
                .map(k -> Map.of("id", k.id(), "name", k.name(), "createdAt", time(k.createdAt()),
                        "expiresAt", time(k.expiresAt()), "lastUsed", k.lastUsedAt().map(AppServlet::time).orElse("never"),
                        "csrf", csrf))
                .toList());
        model.put("createdAt", time(me.createdAt()));
        // A passkey- or provider-only account cannot change a password it does not have, nor pass
        // the password check of an email change: it is offered a password (by the reset mail) instead.
        model.put("hasPassword", portcullis().identities().hasPassword(me.id()));
        List<Map<String, Object>> sessions = portcullis().sessions().activeSessions(me.id()).stream()
                .map(s -> session(s, s.id().equals(me.sessionId())))
                .toList();
        model.put("sessions", sessions);
        model.putAll(app.oidc().settingsModel(me, csrf));
        render(response, status, "profile", model);
    }

    private static Map<String, Object> session(ActiveSession s, boolean current) {
        return Map.of("startedAt", time(s.createdAt()), "lastSeenAt", time(s.lastSeenAt()),
                "address", s.clientAddress().isEmpty() ? "unknown" : s.clientAddress(), "current", current);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        CurrentUser me = AuthAttributes.currentUser(request).orElseThrow();
        if (WebAuth.of(request, response).session().isEmpty()) {
            // Managing credentials needs the browser session, never a bearer token or API key.
            error(request, response, 403, "Forbidden", "Log in with your browser to manage your account.");
            return;
        }
        switch (request.getServletPath()) {
            case "/profile/tokens" -> {
                ApiKeyResult result = app.apiKeys().create(WebAuth.of(request, response).session().orElseThrow(),
                        param(request, "name"), Set.of("api"), Duration.ofDays(30));
                if (result instanceof ApiKeyResult.Created created) {
                    // The secret is shown in this response only; it is never stored in clear.
                    show(request, response, 200, created.secret(), Map.of());
                } else if (result instanceof ApiKeyResult.Invalid invalid) {
                    show(request, response, 422, null, errors(invalid.errors()));
                } else if (result instanceof ApiKeyResult.ReauthenticationRequired) {
                    // A sensitive action: the sign-in must be recent (step-up, SecondFactorPolicy.stepUpWindow).
                    reauthenticate(request, response, "/profile");
                } else {
                    // No longer signed in.
                    error(request, response, 401, "Confirm it is you", "For your security, log out and log in again, then retry.");
                }
                return;
            }
            case "/profile/tokens/revoke" -> {
                app.apiKeys().revoke(me.id(), param(request, "id"));
                app.flash().set(request, response, "token-revoked");
                redirect(request, response, "/profile");
                return;
            }
            case "/profile/logout-others" -> {
                // handled below
            }
            default -> {
                error(request, response, 404, "Not found", "There is no page at this address.");
                return;
            }
        }
        WebAuth web = WebAuth.of(request, response);
        LogoutOthersResult ended = portcullis().sessions().endOtherSessions(web.session().orElseThrow(),
                web.clientAddress());
        if (ended instanceof LogoutOthersResult.ReauthenticationRequired) {
            // A sensitive action: the sign-in must be recent (step-up, SecondFactorPolicy.stepUpWindow).
            reauthenticate(request, response, "/profile");
            return;
        }
        app.flash().set(request, response, "others-logged-out");
        redirect(request, response, "/profile");
    }
}
