package dev.portcullis.servlet;

import dev.portcullis.Portcullis;

import java.security.SecureRandom;

/**
 * What one {@link AuthFilter} shares with the requests it resolved (through {@link RequestAuth})
 * and so with {@link WebAuth} and the endpoints: the calls into the core, the settings, and the
 * cookie, CSRF and client-address helpers built from them, and the timer that holds "busy"
 * sign-ins ({@link BusyHold}, ended by {@link #close()}). Built once per filter; thread-safe. It knows nothing of requests, so nothing here depends back on the filter.
 */
final class AuthRuntime {

    private final CoreCalls core;
    private final AuthConfig config;
    private final Cookies cookies;
    private final CsrfTokens csrf;
    private final ClientAddresses addresses;
    private final BusyHold busyHold = new BusyHold();

    AuthRuntime(Portcullis portcullis, AuthConfig config) {
        this.core = new CoreCalls(portcullis);
        // The pages the core's mails link to have one source: the core's AccountLinks.
        this.config = core.mailLinks().map(config::linkedTo).orElse(config);
        this.cookies = new Cookies(this.config.cookies());
        SecureRandom random = new SecureRandom();
        byte[] key = config.csrf().secret().orElseGet(() -> {
            byte[] k = new byte[32];
            random.nextBytes(k);
            return k;
        });
        this.csrf = new CsrfTokens(key, random);
        this.addresses = new ClientAddresses(config.clientAddresses().trustedProxies(), config.clientAddresses().header());
    }

    CoreCalls core() {
        return core;
    }

    AuthConfig config() {
        return config;
    }

    Cookies cookies() {
        return cookies;
    }

    CsrfTokens csrf() {
        return csrf;
    }

    ClientAddresses addresses() {
        return addresses;
    }

    BusyHold busyHold() {
        return busyHold;
    }

    /** When the filter is destroyed. */
    void close() {
        busyHold.close();
    }
}
