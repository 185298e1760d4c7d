package dev.portcullis.model;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.RawPassword;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A login form: field errors are keyed by {@code email} and {@code password}. */
public record Credentials(
        @NotBlank(message = "Enter your email address.")
        @Size(max = EmailAddress.MAX_LENGTH, message = "Email addresses are at most {max} characters.")
        String email,
        @NotNull(message = "Enter your password.") RawPassword password) {
}
