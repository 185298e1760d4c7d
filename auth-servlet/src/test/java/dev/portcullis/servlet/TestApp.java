package dev.portcullis.servlet;

import dev.portcullis.Portcullis;
import dev.portcullis.model.Credentials;
import dev.portcullis.session.LoginResult;

import dev.portcullis.model.RawPassword;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The application the container tests deploy: plain servlets that know only the Servlet API. */
final class TestApp {

    static final String ADMIN_SECRET = "ADMIN-SECRET-CONTENT";
    static final String ACCOUNT_SECRET = "ACCOUNT-SECRET-CONTENT";

    /**
     * One context to deploy: its path, its filter, its servlets by URL pattern, and what the
     * application sets in the container's session-cookie configuration (as web.xml would).
     */
    record Deployment(String contextPath, AuthFilter filter, Map<String, HttpServlet> servlets,
                      java.util.function.Consumer<jakarta.servlet.SessionCookieConfig> cookieConfig) {
        Deployment(String contextPath, AuthFilter filter, Map<String, HttpServlet> servlets) {
            this(contextPath, filter, servlets, c -> { });
        }

        Deployment withCookieConfig(java.util.function.Consumer<jakarta.servlet.SessionCookieConfig> config) {
            return new Deployment(contextPath, filter, servlets, config);
        }

        /** Applies {@link #cookieConfig} while the context starts, the only time it may be changed. */
        jakarta.servlet.ServletContainerInitializer initializer() {
            return (classes, context) -> cookieConfig.accept(context.getSessionCookieConfig());
        }
    }

    private TestApp() {
    }

    static AuthConfig.Builder config() {
        return AuthConfig.builder()
                .protect("/account/*")
                .protect("/admin/*", "admin")
                .protect("/api/*")
                .apiPath("/api/*");
    }

    static Deployment deployment(String contextPath, Portcullis portcullis, AuthConfig config) {
        Map<String, HttpServlet> s = new LinkedHashMap<>();
        s.put("/auth/*", new AuthEndpointsServlet());
        s.put("/login", new FormPage("/auth/login"));
        s.put("/register", new FormPage("/auth/register"));
        s.put("/public", new Text("PUBLIC-PAGE"));
        s.put("/whoami", new WhoAmI());
        s.put("/account/*", new Text(ACCOUNT_SECRET));
        s.put("/admin/*", new Text(ADMIN_SECRET));
        s.put("/api/*", new Json());
        s.put("/own/*", new OwnSessionApi());
        s.put("/forward", new Dispatch(false, false));
        s.put("/include", new Dispatch(true, false));
        s.put("/context-include", new Dispatch(true, true));
        return new Deployment(contextPath, new AuthFilter(portcullis, config), s);
    }

    static final class Text extends HttpServlet {
        private final String text;

        Text(String text) {
            this.text = text;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getWriter().print(text + " user=" + req.getRemoteUser() + " method=" + req.getMethod());
        }
    }

    /**
     * An application that knows only the Servlet API's own login and logout: {@code /own/login}
     * ({@code request.login}), {@code /own/logout} ({@code request.logout()}) and
     * {@code /own/invalidate} ({@code getSession().invalidate()}).
     */
    static final class OwnSessionApi extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain;charset=UTF-8");
            String action = req.getPathInfo();
            try {
                switch (action == null ? "" : action) {
                    case "/login" -> req.login(req.getParameter("email"), req.getParameter("password"));
                    case "/logout" -> req.logout();
                    case "/invalidate" -> {
                        req.getSession().setAttribute("cart", "3 items");
                        req.getSession().invalidate();
                    }
                    default -> resp.setStatus(404);
                }
                resp.getWriter().print("done " + action + " user=" + req.getRemoteUser());
            } catch (ServletException e) {
                resp.setStatus(401);
                resp.getWriter().print("refused: " + e.getMessage() + " user=" + req.getRemoteUser());
            }
        }
    }

    static final class Json extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("application/json");
            resp.getWriter().print("{\"secret\":\"API-SECRET\",\"user\":\"" + req.getRemoteUser() + "\"}");
        }
    }

    static final class WhoAmI extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getWriter().print("remoteUser=" + req.getRemoteUser()
                    + " principal=" + (req.getUserPrincipal() == null ? null : req.getUserPrincipal().getName())
                    + " admin=" + req.isUserInRole("admin")
                    + " any=" + req.isUserInRole("**")
                    + " authType=" + req.getAuthType()
                    + " attribute=" + AuthAttributes.currentUser(req).map(u -> u.email().display()).orElse(null)
                    + " secure=" + req.isSecure() + " url=" + req.getRequestURL());
        }
    }

    /** A login/register page: renders a form with the CSRF token, and the failure when re-rendered. */
    static final class FormPage extends HttpServlet {
        private final String action;

        FormPage(String action) {
            this.action = action;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/html;charset=UTF-8");
            StringBuilder html = new StringBuilder("<form method=\"post\" action=\"" + req.getContextPath() + action + "\">");
            html.append("<input type=\"hidden\" name=\"csrf_token\" value=\"")
                    .append(AuthAttributes.csrfToken(req).orElse("")).append("\">");
            AuthAttributes.formFailure(req).ifPresent(f -> html.append(" error=").append(f.error())
                    .append(" status=").append(f.status())
                    .append(" fields=").append(f.fields().byField().keySet())
                    .append(" email=").append(f.value("email"))
                    .append(" token=").append(f.value("token")));
            html.append(" page-user=").append(req.getRemoteUser()).append("</form>");
            resp.getWriter().print(html);
        }
    }

    /** The pages and endpoints of the mail flows, plus an app that logs in and out through {@link WebAuth}. */
    static Deployment accountDeployment(String contextPath, Portcullis portcullis, AuthConfig config) {
        Deployment d = deployment(contextPath, portcullis, config);
        Map<String, HttpServlet> s = new LinkedHashMap<>(d.servlets());
        s.put("/verify-email", new FormPage("/auth/verify-email"));
        s.put("/forgot-password", new FormPage("/auth/forgot-password"));
        s.put("/reset-password", new FormPage("/auth/reset-password"));
        s.put("/email", new FormPage("/auth/email"));
        s.put("/confirm-email", new FormPage("/auth/confirm-email"));
        s.put("/own/login", new OwnLogin());
        s.put("/own/logout", new OwnLogout());
        s.put("/own/state", new OwnState());
        return new Deployment(contextPath, d.filter(), s);
    }

    /** An application's own login handler: core login, then {@link WebAuth} for the cookies. */
    static final class OwnLogin extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            WebAuth auth = WebAuth.of(req, resp);
            LoginResult result = auth.portcullis().sessions().login(
                    new Credentials(req.getParameter("email"), RawPassword.of(String.valueOf(req.getParameter("password")))),
                    auth.clientAddress(), auth.deviceToken());
            if (result instanceof LoginResult.Success ok) {
                auth.rememberDevice(ok.device());
                auth.startSession(ok.user(), ok.session());
                if (req.getParameter("remember_me") != null) {
                    auth.rememberMe();
                }
                resp.sendRedirect(req.getContextPath() + SafeRedirects.sanitize(req.getParameter("next"), "/"));
                return;
            }
            resp.setStatus(401);
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getWriter().print("login failed csrf=" + auth.csrfToken());
        }
    }

    static final class OwnLogout extends HttpServlet {
        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            WebAuth auth = WebAuth.of(req, resp);
            auth.endSession();
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getWriter().print("logged out user=" + auth.currentUser().map(u -> u.email().display()).orElse(null)
                    + " csrf=" + auth.csrfToken() + " attribute=" + AuthAttributes.csrfToken(req).orElse(""));
        }
    }

    static final class OwnState extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            WebAuth auth = WebAuth.of(req, resp);
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getWriter().print("user=" + auth.currentUser().map(u -> u.email().display()).orElse(null)
                    + " session=" + auth.session().isPresent() + " address=" + auth.clientAddress()
                    + " csrf=" + auth.csrfToken());
        }
    }

    /** Forwards or includes the path in parameter {@code to}: a public servlet trying to reach a protected one. */
    static final class Dispatch extends HttpServlet {
        private final boolean include;
        private final boolean viaContext;

        Dispatch(boolean include, boolean viaContext) {
            this.include = include;
            this.viaContext = viaContext;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
            String to = req.getParameter("to");
            var dispatcher = viaContext ? getServletContext().getRequestDispatcher(to) : req.getRequestDispatcher(to);
            if (include) {
                resp.setContentType("text/plain;charset=UTF-8");
                resp.getWriter().print("before-include|");
                dispatcher.include(req, resp);
                resp.getWriter().print("|after-include");
            } else {
                dispatcher.forward(req, resp);
            }
        }
    }
}
