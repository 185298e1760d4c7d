package dev.portcullis.oidc;

import java.net.URI;

/** The outcome of {@link OidcLogin#start}. */
public sealed interface StartResult {

    /** Send the browser to {@code authorizationUri} (303), setting {@code cookie} on the same response. */
    record Redirect(URI authorizationUri, AttemptCookie cookie) implements StartResult {
    }

    /** No provider with that id is configured. */
    record UnknownProvider() implements StartResult {
    }

    /** The provider's discovery document could not be read (it is down, or answers nonsense). */
    record ProviderUnavailable(String provider) implements StartResult {
    }
}
