package dev.portcullis.spi;

import dev.portcullis.model.UserId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An audit record. Carries no password, token, session id or hash — and no email address, since
 * a failed login's "email" is sometimes a password typed in the wrong field.
 *
 * @param type          what happened
 * @param at            when, from the injected clock
 * @param userId        the account, when one is known (absent for a failed login on an unknown email)
 * @param clientAddress as given by the caller; untrusted text, escape before writing it anywhere
 */
public record AuthEvent(AuthEventType type, Instant at, Optional<UserId> userId, String clientAddress) {

    public AuthEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(userId, "userId");
        clientAddress = clientAddress == null ? "" : clientAddress;
    }
}
