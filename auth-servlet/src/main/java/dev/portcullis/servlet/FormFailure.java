package dev.portcullis.servlet;

import dev.portcullis.model.FieldErrors;

import java.util.Map;
import java.util.Objects;

/**
 * Why a form post to {@link AuthEndpointsServlet} failed, handed to the application's page (request attribute
 * {@link AuthAttributes#FORM_FAILURE}) so it can re-render the form. The same content is sent as
 * {@code {"error":…,"message":…,"fields":{…}}} to JSON clients. Immutable.
 *
 * @param status  the HTTP status already set on the response (400, 401, 403, 409, 422, 429, 503)
 * @param error   a stable machine-readable code: {@code invalid_input}, {@code invalid_credentials},
 *                {@code email_not_verified}, {@code email_taken}, {@code throttled}, {@code busy},
 *                {@code invalid_token} (a mailed link that is unknown, used, expired or for
 *                another purpose)
 * @param message a sentence for the top of the form; never reveals whether an account exists
 *                (except {@code email_taken}, which registration necessarily reveals)
 * @param fields  messages per input field ({@code email}, {@code password}, {@code confirmPassword})
 * @param values  values to refill the form with: {@code email}, {@code next}, and {@code token}
 *                when one was posted (so a reset form can be shown again); passwords are never
 *                included. Escape them when rendering.
 */
public record FormFailure(int status, String error, String message, FieldErrors fields, Map<String, String> values) {

    public FormFailure {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fields, "fields");
        values = Map.copyOf(values);
    }

    /** The submitted value of a refillable field, or "". */
    public String value(String field) {
        return values.getOrDefault(field, "");
    }
}
