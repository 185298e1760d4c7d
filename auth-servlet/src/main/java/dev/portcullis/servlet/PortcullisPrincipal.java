package dev.portcullis.servlet;

import dev.portcullis.model.CurrentUser;

import java.security.Principal;
import java.util.Objects;

/**
 * The {@link Principal} that {@code request.getUserPrincipal()} returns behind {@link AuthFilter}.
 * Its name (and so {@code getRemoteUser()}) is the user's email address as they typed it; the
 * stable key is {@code user().id()}. Immutable.
 */
public record PortcullisPrincipal(CurrentUser user) implements Principal {

    public PortcullisPrincipal {
        Objects.requireNonNull(user, "user");
    }

    @Override
    public String getName() {
        return user.email().display();
    }
}
