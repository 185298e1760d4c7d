package dev.portcullis.account;

import dev.portcullis.model.RawPassword;
import jakarta.validation.constraints.NotNull;

/** A change-password form: field errors keyed by {@code currentPassword}, {@code newPassword}, {@code confirmPassword}. */
public record PasswordChange(
        @NotNull(message = "Enter your current password.") RawPassword currentPassword,
        @NotNull(message = "Enter a new password.") RawPassword newPassword,
        @NotNull(message = "Repeat the new password.") RawPassword confirmPassword) {
}
