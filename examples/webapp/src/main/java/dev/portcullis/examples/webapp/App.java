package dev.portcullis.examples.webapp;

import dev.portcullis.Portcullis;
import dev.portcullis.token.TokenService;

/** What the servlets share: the auth facade, API tokens, the page renderer, whether mail is configured. */
record App(Portcullis portcullis, TokenService tokens, Pages pages, boolean mailEnabled) {
}
