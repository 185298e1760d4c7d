package dev.portcullis.oidc.servlet;

import dev.portcullis.identity.FederatedSignInResult;
import dev.portcullis.identity.Identities;
import dev.portcullis.identity.LinkResult;
import dev.portcullis.identity.UnlinkResult;
import dev.portcullis.model.SessionToken;
import dev.portcullis.oidc.AttemptCookie;
import dev.portcullis.oidc.CallbackResult;
import dev.portcullis.oidc.OidcLogin;
import dev.portcullis.oidc.OidcProvider;
import dev.portcullis.oidc.Purpose;
import dev.portcullis.oidc.StartResult;
import dev.portcullis.servlet.SafeRedirects;
import dev.portcullis.servlet.WebAuth;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The OpenID Connect endpoints, mapped to {@code /auth/oidc/*} behind {@code AuthFilter} (which
 * resolves the user and checks CSRF on the POSTs):
 * <ul>
 *   <li>{@code GET /auth/oidc/<provider>/start?next=/page}: to the provider, to sign in;</li>
 *   <li>{@code GET /auth/oidc/<provider>/callback}: back from it; signs in (a session as after a
 *       password login) and goes to {@code next} when the safe-redirect rules accept it, else to the
 *       after-login page;</li>
 *   <li>{@code POST /auth/oidc/<provider>/link} (signed in, CSRF token): to the provider, to link
 *       the identity to the account; back at the settings page;</li>
 *   <li>{@code POST /auth/oidc/<provider>/unlink} with {@code subject} (signed in, CSRF token):
 *       unlinks, unless it is the account's last way in.</li>
 * </ul>
 * Every refusal is a short HTML page with a 4xx status (503 when the provider is down), never a
 * stack trace. The {@code next} target and the pages are checked by auth-servlet's
 * {@link SafeRedirects}.
 */
public final class OidcServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient OidcLogin login;
    private final transient Identities identities;
    private final String afterLogin;
    private final String settings;

    /**
     * @param afterLogin where a sign-in without (a safe) {@code next} lands, e.g. {@code "/"}
     * @param settings   the account settings page (links and unlinks land there), e.g. {@code "/account"}
     */
    public OidcServlet(OidcLogin login, Identities identities, String afterLogin, String settings) {
        this.login = Objects.requireNonNull(login, "login");
        this.identities = Objects.requireNonNull(identities, "identities");
        if (!SafeRedirects.isSafe(afterLogin) || !SafeRedirects.isSafe(settings)) {
            throw new IllegalArgumentException("afterLogin and settings must be same-site paths such as /account");
        }
        this.afterLogin = afterLogin;
        this.settings = settings;
    }

    private record Route(OidcProvider provider, String action) {
    }

    private Optional<Route> route(HttpServletRequest req) {
        String path = req.getPathInfo();
        if (path == null) {
            return Optional.empty();
        }
        String[] parts = path.split("/", -1);
        if (parts.length != 3 || !parts[0].isEmpty()) {
            return Optional.empty();
        }
        return login.provider(parts[1]).map(p -> new Route(p, parts[2]));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Route> route = route(req);
        if (route.isEmpty()) {
            page(resp, 404, "Unknown sign-in provider", "There is no such sign-in provider here.");
            return;
        }
        switch (route.get().action()) {
            case "start" -> start(req, resp, route.get().provider(), Purpose.SIGN_IN,
                    Optional.ofNullable(req.getParameter("next")).filter(SafeRedirects::isSafe));
            case "callback" -> callback(req, resp, route.get().provider());
            default -> page(resp, 404, "Not found", "There is no such page.");
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Route> route = route(req);
        if (route.isEmpty()) {
            page(resp, 404, "Unknown sign-in provider", "There is no such sign-in provider here.");
            return;
        }
        WebAuth auth = WebAuth.of(req, resp);
        Optional<SessionToken> session = auth.session();
        if (session.isEmpty() || auth.currentUser().isEmpty()) {
            page(resp, 401, "Please sign in", "Sign in first, then manage your sign-in providers from your account settings.");
            return;
        }
        OidcProvider provider = route.get().provider();
        switch (route.get().action()) {
            case "link" -> start(req, resp, provider, Purpose.LINK, Optional.of(settings));
            case "unlink" -> {
                String subject = req.getParameter("subject");
                if (subject == null || subject.isEmpty()) {
                    page(resp, 400, "Nothing to unlink", "The form named no identity to unlink.");
                    return;
                }
                UnlinkResult result = identities.unlink(session.get(), provider.issuer().toString(), subject,
                        auth.clientAddress());
                if (result instanceof UnlinkResult.Unlinked) {
                    seeOther(req, resp, settings);
                } else if (result instanceof UnlinkResult.LastSignInMethod) {
                    page(resp, 409, "This is your last way to sign in",
                            "Your account has no password and no other sign-in provider, so " + provider.displayName()
                                    + " cannot be unlinked. Set a password (\"Forgot password\") or link another provider first.");
                } else if (result instanceof UnlinkResult.NotLinked) {
                    page(resp, 404, "Not linked", provider.displayName() + " is not linked to your account.");
                } else {
                    page(resp, 401, "Please sign in", "Your session has ended. Sign in again.");
                }
            }
            default -> page(resp, 404, "Not found", "There is no such page.");
        }
    }

    private void start(HttpServletRequest req, HttpServletResponse resp, OidcProvider provider, Purpose purpose,
                       Optional<String> next) throws IOException {
        StartResult result = login.start(provider.id(), purpose, next);
        if (result instanceof StartResult.Redirect r) {
            AttemptCookie c = r.cookie();
            setCookie(req, resp, prefix(req) + c.name(), c.value(), (int) c.maxAge().toSeconds());
            noStore(resp);
            resp.setStatus(303);
            resp.setHeader("Location", r.authorizationUri().toString());
        } else if (result instanceof StartResult.ProviderUnavailable) {
            page(resp, 503, provider.displayName() + " is not reachable",
                    "Signing in with " + provider.displayName() + " is not possible right now. Please try again in a moment.");
        } else {
            page(resp, 404, "Unknown sign-in provider", "There is no such sign-in provider here.");
        }
    }

    private void callback(HttpServletRequest req, HttpServletResponse resp, OidcProvider provider) throws IOException {
        Map<String, String> query = new HashMap<>();
        for (String name : new String[] {"state", "code", "error"}) {
            String[] values = req.getParameterValues(name);
            if (values != null && values.length == 1) {
                query.put(name, values[0]);
            } else if (values != null) {
                page(resp, 400, "Sign-in failed", "The answer from " + provider.displayName() + " was malformed.");
                return;
            }
        }
        String prefix = prefix(req);
        CallbackResult result = login.callback(provider.id(), query, name -> cookie(req, prefix + name));
        result.cookieToClear().ifPresent(name -> setCookie(req, resp, prefix + name, "", 0));
        if (result instanceof CallbackResult.Failed f) {
            failed(resp, provider, f.failure());
            return;
        }
        CallbackResult.Verified v = (CallbackResult.Verified) result;
        WebAuth auth = WebAuth.of(req, resp);
        if (v.purpose() == Purpose.LINK) {
            Optional<SessionToken> session = auth.session();
            LinkResult linked = session.isPresent() ? identities.link(session.get(), v.identity(), auth.clientAddress())
                    : new LinkResult.NotSignedIn();
            if (linked instanceof LinkResult.Linked || linked instanceof LinkResult.AlreadyLinked) {
                seeOther(req, resp, v.next().filter(SafeRedirects::isSafe).orElse(settings));
            } else if (linked instanceof LinkResult.LinkedToAnotherAccount) {
                page(resp, 409, "Linked to another account", "This " + provider.displayName()
                        + " account already signs in to another account here. Unlink it there first.");
            } else if (linked instanceof LinkResult.NotSignedIn) {
                page(resp, 401, "Please sign in", "Your session has ended. Sign in again, then link " + provider.displayName() + ".");
            } else {
                page(resp, 400, "Sign-in failed", "The identity " + provider.displayName() + " sent cannot be stored.");
            }
            return;
        }
        FederatedSignInResult signedIn = identities.signIn(v.identity(), auth.clientAddress());
        if (signedIn instanceof FederatedSignInResult.SignedIn ok) {
            auth.startSession(ok.user(), ok.session());
            seeOther(req, resp, v.next().filter(SafeRedirects::isSafe).orElse(afterLogin));
        } else if (signedIn instanceof FederatedSignInResult.LinkRequired) {
            page(resp, 409, "You already have an account",
                    "An account with the address " + provider.displayName() + " gave us already exists, and "
                            + provider.displayName() + " is not yet linked to it. To link it, sign in with your password,"
                            + " then choose \"Link " + provider.displayName() + "\" in your account settings.");
        } else if (signedIn instanceof FederatedSignInResult.Refused r
                && r.reason() == FederatedSignInResult.Reason.EMAIL_MISSING) {
            page(resp, 400, "Sign-in failed", provider.displayName() + " did not tell us an e-mail address, which a new"
                    + " account needs. Allow access to your e-mail address and try again.");
        } else if (signedIn instanceof FederatedSignInResult.Refused r
                && r.reason() == FederatedSignInResult.Reason.SECOND_FACTOR_REQUIRED) {
            page(resp, 403, "Two-factor sign-in is on", "This account has two-factor sign-in, which signing in with "
                    + provider.displayName() + " does not replace. Sign in with your password and your authenticator code.");
        } else {
            page(resp, 403, "Sign-in refused", "This account cannot sign in.");
        }
    }

    private static void failed(HttpServletResponse resp, OidcProvider provider, CallbackResult.Failure failure)
            throws IOException {
        String name = provider.displayName();
        switch (failure) {
            case PROVIDER_UNAVAILABLE -> page(resp, 503, name + " is not reachable",
                    "Signing in with " + name + " is not possible right now. Please try again in a moment.");
            case PROVIDER_ERROR -> page(resp, 400, "Sign-in cancelled", name + " did not sign you in. You can try again.");
            case STATE_MISSING, STATE_MISMATCH -> page(resp, 400, "Sign-in expired",
                    "This sign-in was not started in this browser, took too long, or was already completed. Please start again.");
            case UNKNOWN_PROVIDER -> page(resp, 404, "Unknown sign-in provider", "There is no such sign-in provider here.");
            default -> page(resp, 400, "Sign-in failed", name + " could not confirm who you are. Please start again.");
        }
    }

    private static String prefix(HttpServletRequest req) {
        return req.isSecure() ? "__Host-" : "";
    }

    private static Optional<String> cookie(HttpServletRequest req, String name) {
        Cookie[] cookies = req.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (c.getName().equals(name)) {
                    // RFC 6265 lets a client wrap the value in double quotes; some containers keep them.
                    String v = c.getValue();
                    return Optional.of(v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v);
                }
            }
        }
        return Optional.empty();
    }

    /** SameSite=Lax: the callback is a top-level GET from the provider, which Lax cookies accompany. */
    private static void setCookie(HttpServletRequest req, HttpServletResponse resp, String name, String value, int maxAge) {
        resp.addHeader("Set-Cookie", name + "=" + value + "; Path=/; Max-Age=" + maxAge + "; HttpOnly; SameSite=Lax"
                + (req.isSecure() ? "; Secure" : ""));
    }

    private static void seeOther(HttpServletRequest req, HttpServletResponse resp, String path) {
        noStore(resp);
        resp.setStatus(303);
        resp.setHeader("Location", req.getContextPath() + path);
    }

    private static void noStore(HttpServletResponse resp) {
        resp.setHeader("Cache-Control", "no-store");
    }

    private static void page(HttpServletResponse resp, int status, String title, String sentence) throws IOException {
        noStore(resp);
        resp.setStatus(status);
        resp.setContentType("text/html;charset=UTF-8");
        resp.getWriter().write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + "</title></head><body><h1>" + escape(title) + "</h1><p>" + escape(sentence)
                + "</p><p><a href=\"/\">Back</a></p></body></html>\n");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
