package dev.portcullis.servlet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.model.SessionToken;
import dev.portcullis.passkey.CreationOptions;
import dev.portcullis.passkey.PasskeyAssertion;
import dev.portcullis.passkey.PasskeyChangeResult;
import dev.portcullis.passkey.PasskeyInfo;
import dev.portcullis.passkey.PasskeyOptionsResult;
import dev.portcullis.passkey.PasskeyRegistration;
import dev.portcullis.passkey.PasskeyRegistrationResult;
import dev.portcullis.passkey.PasskeySignInResult;
import dev.portcullis.passkey.RequestOptions;
import dev.portcullis.spi.PortcullisException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON endpoints for passkeys (WebAuthn), and the script that drives the browser's side. Mount it at
 * a path ending in {@code /*} (e.g. {@code /auth/passkeys/*}) behind {@link AuthFilter}, which
 * checks CSRF (the script sends the {@code X-CSRF-Token} header) and resolves the session:
 *
 * <table>
 *   <caption>Endpoints below the mount path</caption>
 *   <tr><th>Path</th><th>Body (a flat JSON object of strings)</th><th>Answer</th></tr>
 *   <tr><td>{@code GET /passkeys.js}</td><td></td><td>the script (no inline code needed: CSP {@code script-src 'self'} is enough)</td></tr>
 *   <tr><td>{@code POST /registration/options}</td><td>(none); needs a session with a recent proof</td><td>{@code {"publicKey":{…creation options…}}}</td></tr>
 *   <tr><td>{@code POST /registration}</td><td>{@code challenge, id, clientDataJSON, attestationObject, transports} (space-separated), {@code name}</td><td>{@code {"status":"passkey_added","passkey":{…}}}</td></tr>
 *   <tr><td>{@code POST /authentication/options}</td><td>{@code handle} (optional: the pending sign-in of a password login), or {@code secondFactor: "true"} for the one in the pending cookie</td><td>{@code {"publicKey":{…request options…}}}</td></tr>
 *   <tr><td>{@code POST /authentication}</td><td>{@code challenge, id, clientDataJSON, authenticatorData, signature, userHandle}, and {@code handle} or {@code secondFactor} as above</td><td>as JSON login: {@code {"status":"logged_in","multiFactor":…,"csrfToken":…,"user":{…}}}</td></tr>
 *   <tr><td>{@code GET /list}</td><td></td><td>{@code {"passkeys":[{"id","name","created","lastUsed","synced","transports"}]}}</td></tr>
 *   <tr><td>{@code POST /rename}, {@code POST /delete}</td><td>{@code id}, {@code name}; delete needs a recent proof</td><td>{@code {"status":"passkey_changed"}}</td></tr>
 * </table>
 *
 * <p>A password login through {@link AuthEndpointsServlet} keeps the pending sign-in of an account
 * with a second factor in an HttpOnly cookie, out of the page's reach; {@code secondFactor: "true"}
 * answers that pending sign-in with a passkey, and its success (or a spent handle) clears the cookie.
 *
 * <p>Every failure is the one JSON error shape of {@link ResultResponses} ({@code {"error","message","fields"}})
 * with a 4xx status: a body that is not a flat JSON object is 400 {@code malformed_request}, over
 * 64 KiB 413, another content type 415; a store failure is 503. Bad input never causes a 500.
 * Thread-safe; holds no state of its own.
 */
public final class PasskeyEndpointsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(PasskeyEndpointsServlet.class.getName());
    static final int MAX_BODY = 64 * 1024;
    private static final String SCRIPT_RESOURCE = "passkeys.js";
    private static final byte[] SCRIPT = loadScript();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<RequestAuth> found = RequestAuth.of(request);
        if (found.isEmpty()) {
            LOG.log(System.Logger.Level.ERROR, "PasskeyEndpointsServlet called without AuthFilter in front of it");
            ResponseWriter.write(response, 500, ResponseWriter.TEXT,
                    "Misconfigured: map AuthFilter to /* in front of PasskeyEndpointsServlet.\n");
            return;
        }
        RequestAuth auth = found.get();
        String op = request.getPathInfo() == null ? "" : request.getPathInfo();
        String method = request.getMethod();
        try {
            if (op.equals("/passkeys.js")) {
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    notAllowed(response, "GET, HEAD");
                    return;
                }
                response.setStatus(200);
                response.setContentType("text/javascript; charset=utf-8");
                response.setHeader("Cache-Control", "no-cache");
                response.setHeader("X-Content-Type-Options", "nosniff");
                response.setContentLength(SCRIPT.length);
                if (method.equals("GET")) {
                    response.getOutputStream().write(SCRIPT);
                }
                return;
            }
            response.setHeader("Cache-Control", "no-store");
            CoreCalls core = auth.runtime().core();
            if (!core.passkeysEnabled()) {
                refuse(response, Answer.of(404, "not_found", "Passkeys are not enabled in this application."));
                return;
            }
            if (op.equals("/list")) {
                if (!method.equals("GET")) {
                    notAllowed(response, "GET, HEAD");
                    return;
                }
                list(request, response, core);
                return;
            }
            if (!List.of("/registration/options", "/registration", "/authentication/options", "/authentication",
                    "/rename", "/delete").contains(op)) {
                refuse(response, Answer.of(404, "not_found", "Not found."));
                return;
            }
            if (!method.equals("POST")) {
                notAllowed(response, "POST");
                return;
            }
            if (auth.bearer()) {
                refuse(response, Answer.of(400, "bearer_not_accepted",
                        "Bad request: passkeys are for browser sessions; send it without an Authorization header."));
                return;
            }
            Optional<Map<String, String>> body = readBody(request, response);
            if (body.isEmpty()) {
                return;
            }
            Map<String, String> f = body.get();
            WebAuth web = WebAuth.of(request, response);
            Optional<SessionToken> session = web.session();
            switch (op) {
                case "/registration/options" -> {
                    if (session.isEmpty()) {
                        refuse(response, ResultResponses.unauthenticated());
                        return;
                    }
                    PasskeyOptionsResult r = core.passkeyRegistrationOptions(session.get());
                    if (r instanceof PasskeyOptionsResult.Creation c) {
                        writeOk(response, Json.object().set("publicKey", creation(c.options())));
                    } else {
                        refuse(response, ResultResponses.passkeyOptions(r));
                    }
                }
                case "/registration" -> {
                    if (session.isEmpty()) {
                        refuse(response, ResultResponses.unauthenticated());
                        return;
                    }
                    String transports = f.getOrDefault("transports", "");
                    PasskeyRegistrationResult r = core.registerPasskey(session.get(), new PasskeyRegistration(
                            f.get("challenge"), f.get("clientDataJSON"), f.get("attestationObject"),
                            transports.isBlank() ? List.of() : Arrays.asList(transports.strip().split("\\s+")),
                            f.get("name")), auth.clientAddress());
                    Answer answer = ResultResponses.passkeyRegistration(r);
                    if (r instanceof PasskeyRegistrationResult.Registered ok) {
                        ObjectNode out = Json.object().put("status", answer.code()).put("message", answer.message());
                        out.set("passkey", info(ok.passkey()));
                        writeOk(response, out);
                    } else {
                        refuse(response, answer);
                    }
                }
                case "/authentication/options" -> {
                    String handle = pendingHandle(request, auth, f);
                    if (handle == null || handle.isEmpty()) {
                        if ("true".equals(f.get("secondFactor"))) {
                            clearPending(response, auth);
                            refuse(response, ResultResponses.passkeyOptions(new PasskeyOptionsResult.InvalidHandle()));
                            return;
                        }
                        writeOk(response, Json.object().set("publicKey", request(core.passkeySignInOptions())));
                        return;
                    }
                    PasskeyOptionsResult r = core.passkeySecondFactorOptions(handle);
                    if (r instanceof PasskeyOptionsResult.Request q) {
                        writeOk(response, Json.object().set("publicKey", request(q.options())));
                    } else {
                        if (r instanceof PasskeyOptionsResult.InvalidHandle && fromCookie(f)) {
                            clearPending(response, auth);
                        }
                        refuse(response, ResultResponses.passkeyOptions(r));
                    }
                }
                case "/authentication" -> {
                    PasskeyAssertion a = new PasskeyAssertion(f.get("challenge"), f.get("id"), f.get("clientDataJSON"),
                            f.get("authenticatorData"), f.get("signature"), f.get("userHandle"));
                    String handle = pendingHandle(request, auth, f);
                    boolean secondFactor = handle != null && !handle.isEmpty() || "true".equals(f.get("secondFactor"));
                    PasskeySignInResult r = !secondFactor ? core.passkeySignIn(a, auth.clientAddress())
                            : handle == null || handle.isEmpty() ? new PasskeySignInResult.InvalidHandle()
                            : core.passkeyCompleteSignIn(handle, a, auth.clientAddress(), web.deviceToken());
                    Answer answer = ResultResponses.passkeySignIn(r);
                    if (fromCookie(f) && (r instanceof PasskeySignInResult.Success
                            || r instanceof PasskeySignInResult.InvalidHandle)) {
                        clearPending(response, auth);
                    }
                    if (r instanceof PasskeySignInResult.Success ok) {
                        web.rememberDevice(ok.device());
                        web.startSession(ok.user(), ok.session());
                        ObjectNode out = Json.object().put("status", answer.code()).put("multiFactor", ok.multiFactor())
                                .put("csrfToken", web.csrfToken());
                        out.putObject("user").put("id", ok.user().id().value()).put("email", ok.user().email().display());
                        writeOk(response, out);
                    } else {
                        refuse(response, answer);
                    }
                }
                case "/rename", "/delete" -> {
                    if (session.isEmpty()) {
                        refuse(response, ResultResponses.unauthenticated());
                        return;
                    }
                    PasskeyChangeResult r = op.equals("/rename")
                            ? core.renamePasskey(session.get(), f.get("id"), f.get("name"))
                            : core.deletePasskey(session.get(), f.get("id"), auth.clientAddress());
                    Answer answer = ResultResponses.passkeyChange(r);
                    if (r instanceof PasskeyChangeResult.Done) {
                        writeOk(response, Json.object().put("status", answer.code()).put("message", answer.message()));
                    } else {
                        refuse(response, answer);
                    }
                }
                default -> refuse(response, Answer.of(404, "not_found", "Not found."));
            }
        } catch (PortcullisException e) {
            LOG.log(System.Logger.Level.ERROR, "authentication store failed", e);
            refuse(response, ResultResponses.unavailable());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "unexpected failure in passkeys " + op, e);
            refuse(response, Answer.of(500, "internal_error", "Something went wrong on our side."));
        }
    }

    /** The handle in the body, else (for {@code secondFactor: "true"}) the one in the pending cookie; null if none. */
    private static String pendingHandle(HttpServletRequest request, RequestAuth auth, Map<String, String> f) {
        String handle = f.get("handle");
        if (handle != null && !handle.isEmpty()) {
            return handle;
        }
        return "true".equals(f.get("secondFactor"))
                ? Cookies.read(request, auth.cookies().pendingName()).orElse(null) : null;
    }

    /** Whether the pending sign-in is the cookie's (a handle in the body leaves the cookie alone). */
    private static boolean fromCookie(Map<String, String> f) {
        String handle = f.get("handle");
        return (handle == null || handle.isEmpty()) && "true".equals(f.get("secondFactor"));
    }

    private static void clearPending(HttpServletResponse response, RequestAuth auth) {
        auth.cookies().clear(response, auth.cookies().pendingName());
    }

    private static void list(HttpServletRequest request, HttpServletResponse response, CoreCalls core)
            throws IOException {
        Optional<SessionToken> session = WebAuth.of(request, response).session();
        Optional<List<PasskeyInfo>> mine = session.flatMap(core::passkeys);
        if (mine.isEmpty()) {
            refuse(response, ResultResponses.unauthenticated());
            return;
        }
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("passkeys");
        mine.get().forEach(p -> list.add(info(p)));
        writeOk(response, out);
    }

    /** The flat JSON object of the body; empty after an error answer was written. */
    private static Optional<Map<String, String>> readBody(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(java.util.Locale.ROOT);
        if (!type.startsWith("application/json")) {
            refuse(response, Answer.of(415, "unsupported_media_type", "Send application/json."));
            return Optional.empty();
        }
        if (request.getContentLengthLong() > MAX_BODY) {
            refuse(response, Answer.of(413, "too_large", "The request body is too large."));
            return Optional.empty();
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            refuse(response, Answer.of(413, "too_large", "The request body is too large."));
            return Optional.empty();
        }
        Optional<Map<String, String>> fields = bytes.length == 0 ? Optional.of(Map.of()) : Json.readFlatObject(bytes);
        if (fields.isEmpty()) {
            refuse(response, Answer.of(400, "malformed_request",
                    "The body must be a JSON object whose members are strings, each named once."));
        }
        return fields;
    }

    private static ObjectNode creation(CreationOptions o) {
        ObjectNode n = Json.object().put("challenge", o.challenge()).put("timeout", o.timeoutMillis())
                .put("attestation", o.attestation());
        n.putObject("rp").put("id", o.rpId()).put("name", o.rpName());
        n.putObject("user").put("id", o.userHandle()).put("name", o.userName()).put("displayName", o.userDisplayName());
        ArrayNode params = n.putArray("pubKeyCredParams");
        o.algorithms().forEach(a -> params.addObject().put("type", "public-key").put("alg", a));
        ArrayNode exclude = n.putArray("excludeCredentials");
        o.excludeCredentials().forEach(id -> exclude.addObject().put("type", "public-key").put("id", id));
        n.putObject("authenticatorSelection").put("residentKey", o.residentKey())
                .put("requireResidentKey", false).put("userVerification", o.userVerification());
        return n;
    }

    private static ObjectNode request(RequestOptions o) {
        ObjectNode n = Json.object().put("challenge", o.challenge()).put("rpId", o.rpId())
                .put("timeout", o.timeoutMillis()).put("userVerification", o.userVerification());
        ArrayNode allow = n.putArray("allowCredentials");
        o.allowCredentials().forEach(id -> allow.addObject().put("type", "public-key").put("id", id));
        return n;
    }

    private static ObjectNode info(PasskeyInfo p) {
        ObjectNode n = Json.object().put("id", p.id()).put("name", p.name()).put("created", p.created().toString())
                .put("synced", p.synced());
        n.put("lastUsed", p.lastUsed().map(Object::toString).orElse(null));
        ArrayNode t = n.putArray("transports");
        p.transports().stream().sorted().forEach(t::add);
        return n;
    }

    private static void writeOk(HttpServletResponse response, ObjectNode body) throws IOException {
        ResponseWriter.write(response, 200, ResponseWriter.JSON, Json.write(body));
    }

    private static void refuse(HttpServletResponse response, Answer answer) throws IOException {
        answer.writeJson(response);
    }

    private static void notAllowed(HttpServletResponse response, String allow) throws IOException {
        response.setHeader("Allow", allow);
        refuse(response, Answer.of(405, "method_not_allowed", allow.startsWith("GET") ? "Use GET." : "Use POST."));
    }

    private static byte[] loadScript() {
        try (InputStream in = PasskeyEndpointsServlet.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + SCRIPT_RESOURCE + " in the auth-servlet jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String script() {
        return new String(SCRIPT, StandardCharsets.UTF_8);
    }
}
