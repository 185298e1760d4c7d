package dev.portcullis.examples.webapp;

import dev.portcullis.Portcullis;
import dev.portcullis.token.ApiKeys;
import dev.portcullis.token.Tokens;

/** What the servlets share: the composition root, the page renderer, whether mail is configured, the flash cookie. */
record App(Portcullis portcullis, Pages pages, boolean mailEnabled, Flash flash) {

    Tokens tokens() {
        return portcullis.tokens();
    }

    ApiKeys apiKeys() {
        return portcullis.apiKeys();
    }
}
