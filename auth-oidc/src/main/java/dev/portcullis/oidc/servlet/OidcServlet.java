package dev.portcullis.oidc.servlet;

import dev.portcullis.identity.FederatedSignInResult;
import dev.portcullis.identity.Identities;
import dev.portcullis.identity.LinkByMailResult;
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
 *       after-login page. For an account with an enrolled second factor the sign-in continues at
 *       the login page's code step instead ({@link WebAuth#continueAtCodeStep}), whose
 *       {@code POST /auth/login/mfa} finishes it and goes to the same {@code next};</li>
 *   <li>{@code POST /auth/oidc/<provider>/link} (signed in, CSRF token): to the provider, to link
 *       the identity to the account; back at the settings page;</li>
 *   <li>{@code POST /auth/oidc/<provider>/unlink} with {@code subject} (signed in, CSRF token):
 *       unlinks, unless it is the account's last way in;</li>
 *   <li>{@code POST /auth/oidc/<provider>/link-by-mail} (CSRF token; offered on the "you already have
 *       an account" page): to the provider again, then mails the account with that address a link,
 *       bound to this browser by a cookie ({@value #LINK_COOKIE});</li>
 *   <li>{@code GET /auth/oidc/<provider>/confirm-link?token=}: the mailed link, a confirmation form;
 *       {@code POST} of it (CSRF token, in the browser that asked) links, signs in (the code step
 *       first where a second factor is enrolled) and goes to the settings page.</li>
 * </ul>
 * Every refusal is a short HTML page with a 4xx status (503 when the provider is down), never a
 * stack trace. The {@code next} target and the pages are checked by auth-servlet's
 * {@link SafeRedirects}.
 */
public final class OidcServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** Binds a mailed link to the browser that asked for it (the secret of {@code LinkByMailResult.Sent}). */
    static final String LINK_COOKIE = "portcullis_oidc_link";

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
            case "confirm-link" -> confirmLinkForm(req, resp, route.get().provider());
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
        if (route.get().action().equals("link-by-mail")) {
            // Anonymous: the user cannot sign in to the account; a fresh trip proves the identity again.
            start(req, resp, route.get().provider(), Purpose.LINK_BY_MAIL,
                    Optional.ofNullable(req.getParameter("next")).filter(SafeRedirects::isSafe));
            return;
        } else if (route.get().action().equals("confirm-link")) {
            confirmLink(req, resp, route.get().provider(), auth);
            return;
        }
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
        if (v.purpose() == Purpose.LINK_BY_MAIL) {
            mailLink(req, resp, provider, auth, v);
            return;
        }
        FederatedSignInResult signedIn = identities.signIn(v.identity(), auth.clientAddress());
        if (signedIn instanceof FederatedSignInResult.LinkRequired) {
            String name = provider.displayName();
            form(resp, 409, "You already have an account", "An account with the address " + name + " gave us already"
                            + " exists, and " + name + " is not yet linked to it. To link it, sign in with your password, then"
                            + " choose \"Link " + name + "\" in your account settings. Or we e-mail that address a link that"
                            + " links " + name + " when you open it in this browser.",
                    action(req, provider, "link-by-mail"), hidden("csrf_token", auth.csrfToken(),
                            "next", v.next().filter(SafeRedirects::isSafe).orElse("")),
                    "E-mail me a link");
            return;
        }
        finish(req, resp, provider, auth, signedIn, v.next().filter(SafeRedirects::isSafe).orElse(afterLogin));
    }

    /** A sign-in's answer: a session, the code step, or a refusal page. */
    private void finish(HttpServletRequest req, HttpServletResponse resp, OidcProvider provider, WebAuth auth,
                        FederatedSignInResult signedIn, String target) throws IOException {
        if (signedIn instanceof FederatedSignInResult.SignedIn ok) {
            auth.startSession(ok.user(), ok.session());
            seeOther(req, resp, target);
        } else if (signedIn instanceof FederatedSignInResult.SecondFactorRequired pending) {
            // The provider (or the mailed link) proved the first factor; the login page's code step
            // proves the second, and POST /auth/login/mfa lands on the same target.
            seeOther(req, resp, auth.continueAtCodeStep(pending.handle(), Optional.of(target)));
        } else if (signedIn instanceof FederatedSignInResult.EnrolmentRequired) {
            page(resp, 403, "Two-factor sign-in is required", "Your account must have two-factor sign-in before "
                    + provider.displayName() + " can sign you in. Sign in with your password to set it up.");
        } else if (signedIn instanceof FederatedSignInResult.LinkRequired) {
            page(resp, 409, "You already have an account", "Sign in with your password, then link "
                    + provider.displayName() + " in your account settings.");
        } else if (signedIn instanceof FederatedSignInResult.Refused r
                && r.reason() == FederatedSignInResult.Reason.EMAIL_MISSING) {
            page(resp, 400, "Sign-in failed", provider.displayName() + " did not tell us an e-mail address, which a new"
                    + " account needs. Allow access to your e-mail address and try again.");
        } else if (signedIn instanceof FederatedSignInResult.Refused r
                && r.reason() == FederatedSignInResult.Reason.EMAIL_NOT_VERIFIED) {
            page(resp, 403, "Confirm your e-mail address", "Before you can sign in, confirm your address with the link"
                    + " we sent you, then sign in with " + provider.displayName() + " again.");
        } else if (signedIn instanceof FederatedSignInResult.Refused r
                && r.reason() == FederatedSignInResult.Reason.LINK_INVALID) {
            page(resp, 400, "This link does not work", "The link is invalid, expired or already used, or it was opened"
                    + " in another browser than the one where you asked for it. Sign in with " + provider.displayName()
                    + " again to ask for a new one.");
        } else {
            page(resp, 403, "Sign-in refused", "This account cannot sign in.");
        }
    }

    /** Back from the provider to ask for a mailed link: mails it and binds it to this browser. */
    private void mailLink(HttpServletRequest req, HttpServletResponse resp, OidcProvider provider, WebAuth auth,
                          CallbackResult.Verified v) throws IOException {
        String name = provider.displayName();
        LinkByMailResult result = identities.requestLinkByMail(v.identity(),
                login.redirectUri(provider).resolve("confirm-link"), auth.clientAddress());
        if (result instanceof LinkByMailResult.Sent sent) {
            setCookie(req, resp, prefix(req) + LINK_COOKIE, sent.browserSecret(), (int) sent.validFor().toSeconds());
            page(resp, 200, "Check your mail", "We sent a link to the address " + name + " gave us. Open it in this"
                    + " browser within " + sent.validFor().toMinutes() + " minutes to link " + name + " to your account.");
        } else if (result instanceof LinkByMailResult.Throttled t) {
            resp.setHeader("Retry-After", String.valueOf(Math.max(1, t.retryAfter().toSeconds())));
            page(resp, 429, "Please wait", "We sent a link a moment ago. Look for it in your mail, or try again in a minute.");
        } else {
            page(resp, 409, "Nothing to link", "There is no account to link " + name + " to, or it is linked already."
                    + " Sign in with " + name + " again.");
        }
    }

    /** {@code GET confirm-link?token=}: a form, never the change itself (mail scanners open links). */
    private void confirmLinkForm(HttpServletRequest req, HttpServletResponse resp, OidcProvider provider)
            throws IOException {
        String token = req.getParameter("token");
        if (token == null || token.isEmpty() || token.length() > 256) {
            page(resp, 400, "This link does not work", "The link is incomplete. Open it from the mail again.");
            return;
        }
        WebAuth auth = WebAuth.of(req, resp);
        form(resp, 200, "Link " + provider.displayName() + " to your account?", "From now on, signing in with "
                        + provider.displayName() + " will open your account.", action(req, provider, "confirm-link"),
                hidden("csrf_token", auth.csrfToken(), "token", token), "Link " + provider.displayName());
    }

    /** {@code POST confirm-link}: links, in the browser that asked, and signs in. */
    private void confirmLink(HttpServletRequest req, HttpServletResponse resp, OidcProvider provider, WebAuth auth)
            throws IOException {
        String secret = cookie(req, prefix(req) + LINK_COOKIE).orElse("");
        FederatedSignInResult result = identities.confirmLinkByMail(req.getParameter("token"), secret, auth.clientAddress());
        if (result instanceof FederatedSignInResult.SignedIn || result instanceof FederatedSignInResult.SecondFactorRequired) {
            setCookie(req, resp, prefix(req) + LINK_COOKIE, "", 0);
        }
        finish(req, resp, provider, auth, result, settings);
    }

    private static String action(HttpServletRequest req, OidcProvider provider, String action) {
        return req.getContextPath() + req.getServletPath() + "/" + provider.id() + "/" + action;
    }

    private static Map<String, String> hidden(String... namesAndValues) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
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

    /** A page with one POST form (hidden fields, one button): no script, so any CSP allows it. */
    private static void form(HttpServletResponse resp, int status, String title, String sentence, String action,
                             Map<String, String> fields, String button) throws IOException {
        noStore(resp);
        resp.setStatus(status);
        resp.setContentType("text/html;charset=UTF-8");
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title></head><body><h1>").append(escape(title)).append("</h1><p>")
                .append(escape(sentence)).append("</p><form method=\"post\" action=\"").append(escape(action)).append("\">");
        fields.forEach((name, value) -> html.append("<input type=\"hidden\" name=\"").append(escape(name))
                .append("\" value=\"").append(escape(value)).append("\">"));
        html.append("<button type=\"submit\">").append(escape(button)).append("</button></form>")
                .append("<p><a href=\"/\">Back</a></p></body></html>\n");
        resp.getWriter().write(html.toString());
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
