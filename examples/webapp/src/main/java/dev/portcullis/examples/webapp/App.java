package dev.portcullis.examples.webapp;

import dev.portcullis.Portcullis;
import dev.portcullis.token.ApiKeys;
import dev.portcullis.token.Tokens;

/**
 * What the servlets share: the composition root, the page renderer, whether mail is configured, the
 * flash cookie, the "Sign in with …" page models.
 */
record App(Portcullis portcullis, Pages pages, boolean mailEnabled, Flash flash, OidcSection oidc) {

    App(Portcullis portcullis, Pages pages, boolean mailEnabled, Flash flash) {
        this(portcullis, pages, mailEnabled, flash, OidcSection.none(portcullis));
    }

    Tokens tokens() {
        return portcullis.tokens();
    }

    ApiKeys apiKeys() {
        return portcullis.apiKeys();
    }
}
