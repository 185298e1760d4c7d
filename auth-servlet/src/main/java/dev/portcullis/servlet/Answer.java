package dev.portcullis.servlet;

import dev.portcullis.model.FieldErrors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How one outcome is told over HTTP, decided in one place ({@link ResultResponses}) so that the
 * ready-made endpoints and an application's own servlets answer alike. A page renders
 * {@link #message()} and {@link #fields()}; a JSON client gets {@link #toJson()}. Immutable.
 *
 * @param status     the HTTP status (2xx for successes, 4xx/5xx for failures)
 * @param code       a stable machine-readable code: the {@code "error"} member of a failure
 *                   ({@code invalid_credentials}, {@code throttled}, …) or the {@code "status"}
 *                   member of a success ({@code logged_in}, {@code reset_requested}, …)
 * @param message    a sentence for people; never reveals whether an account exists (except
 *                   {@code email_taken}, which registration necessarily reveals)
 * @param fields     messages per input field, empty when the failure is not about one field
 * @param retryAfter how long the client should wait (throttled and busy answers), else empty
 */
public record Answer(int status, String code, String message, FieldErrors fields, Optional<Duration> retryAfter) {

    private static final FieldErrors NONE = new FieldErrors(Map.of());

    public Answer {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        if (Objects.requireNonNull(code, "code").isBlank()) {
            throw new IllegalArgumentException("code must not be blank");
        }
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** An answer without field messages and without Retry-After. */
    public static Answer of(int status, String code, String message) {
        return new Answer(status, code, message, NONE, Optional.empty());
    }

    static Answer withFields(int status, String code, String message, FieldErrors fields) {
        return new Answer(status, code, message, fields, Optional.empty());
    }

    static Answer retryLater(int status, String code, String message, Duration retryAfter) {
        return new Answer(status, code, message, NONE, Optional.of(retryAfter));
    }

    /** Whether this tells of a failure (status 400 or above). */
    public boolean isError() {
        return status >= 400;
    }

    /** The {@code Retry-After} value: whole seconds, rounded up, at least 1. */
    public OptionalLong retryAfterSeconds() {
        return retryAfter.map(d -> OptionalLong.of(wholeSecondsUp(d))).orElse(OptionalLong.empty());
    }

    /**
     * The JSON body: {@code {"error","message","fields":{…}}} for a failure — the one error shape
     * of every endpoint — or {@code {"status","message"}} for a success.
     */
    public String toJson() {
        return Json.write(jsonBody());
    }

    /** Sets the status, {@code Retry-After} when there is one, and {@code Cache-Control: no-store}. */
    public void applyHeaders(HttpServletResponse response) {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        retryAfterSeconds().ifPresent(s -> response.setHeader("Retry-After", Long.toString(s)));
    }

    /**
     * Answers with {@link #toJson()}: sets the headers of {@link #applyHeaders} and replaces
     * whatever was buffered. Does nothing once the response is committed.
     */
    public void writeJson(HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        applyHeaders(response);
        ResponseWriter.write(response, status, ResponseWriter.JSON, toJson());
    }

    ObjectNode jsonBody() {
        return isError() ? Json.error(code, message, fields) : Json.object().put("status", code).put("message", message);
    }

    static long wholeSecondsUp(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
