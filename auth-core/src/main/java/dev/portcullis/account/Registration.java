package dev.portcullis.account;


import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.RawPassword;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A sign-up form. Validation (Bean Validation on the components, then the email's shape, the
 * {@link dev.portcullis.password.PasswordPolicy} and the confirmation) happens in
 * {@link Accounts#register}; field errors come back keyed by {@code email}, {@code password}
 * and {@code confirmPassword}.
 */
public record Registration(
        @NotBlank(message = "Enter your email address.")
        @Size(max = EmailAddress.MAX_LENGTH, message = "Email addresses are at most {max} characters.")
        String email,
        @NotNull(message = "Enter a password.") RawPassword password,
        @NotNull(message = "Repeat the password.") RawPassword confirmPassword) {
}
