package dev.portcullis.session;

import dev.portcullis.model.CurrentUser;

import dev.portcullis.model.RememberMeToken;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.UserId;
import java.util.Optional;

/** Outcome of {@link RememberMe#resume}. */
public sealed interface RememberMeResult {

    /**
     * A new session for the token's user. {@code rotated} is the token that replaces the one
     * presented (set it as the new cookie); empty when the presented token had just been rotated
     * by a parallel request and is still inside the grace window.
     */
    record Resumed(CurrentUser user, SessionToken session, Optional<RememberMeToken> rotated) implements RememberMeResult {
        public UserId userId() {
            return user.id();
        }
    }

    /** Unknown, expired or not matching; clear the cookie. */
    record Invalid() implements RememberMeResult {
    }

    /**
     * A token that was already replaced came back after the grace window: someone holds a copy.
     * Every session and remember-me series of the account was ended (and the other credentials
     * the revokers manage), so neither the thief nor the owner stays signed in; the owner is
     * mailed. Clear the cookie.
     */
    record TheftDetected(UserId userId) implements RememberMeResult {
    }
}
