package dev.portcullis.token;

import dev.portcullis.Portcullis;
import dev.portcullis.Stores;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.model.Credentials;

import dev.portcullis.memory.InMemoryApiKeyStore;
import dev.portcullis.memory.InMemoryRefreshTokenStore;
import dev.portcullis.memory.InMemoryTokenEpochStore;

import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.model.RawPassword;
import dev.portcullis.password.DelegatingPasswordHasher;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * A real {@link Portcullis} on in-memory stores with a {@link Tokens} wired to it, as an
 * application would wire them, and a clock the test moves.
 */
final class TokenFixture {

    /** One hasher for every test: Argon2id at the OWASP floor costs tens of ms per call. */
    static final DelegatingPasswordHasher HASHER = DelegatingPasswordHasher.argon2idWithBcryptUpgrade();
    static final String PASSWORD = "violet tractor umbrella seventeen";
    static final String NEW_PASSWORD = "copper lantern orchard ninety";
    static final String ADDRESS = "203.0.113.9";
    static final String ISSUER = "https://auth.example.com";
    static final String AUDIENCE = "https://api.example.com";

    final TestClock clock = new TestClock(Instant.parse("2030-01-01T10:00:00Z"));
    final InMemoryRefreshTokenStore refreshTokens = new InMemoryRefreshTokenStore();
    final InMemoryApiKeyStore apiKeyStore = new InMemoryApiKeyStore();
    final InMemoryUserStore users = new InMemoryUserStore();
    /** Shared: a 2048-bit RSA key pair takes a while to generate. */
    static final KeyPair RSA_PAIR = rsaKeyPair();
    final SigningKey rsaKey = SigningKey.rsa("rsa-1", RSA_PAIR);
    final AccessTokenKeys keys = AccessTokenKeys.of(rsaKey);
    final Portcullis auth;

    TokenFixture() {
        this(UnaryOperator.identity());
    }

    final Tokens tokens;
    final ApiKeys apiKeys;

    TokenFixture(UnaryOperator<TokenSettings.Builder> config) {
        auth = Portcullis.builder()
                .stores(Stores.of(users, new InMemorySessionStore(), new InMemoryAttemptStore())
                        .withRefreshTokens(refreshTokens).withApiKeys(apiKeyStore)
                        .withTokenEpochs(new InMemoryTokenEpochStore()))
                .passwordHasher(HASHER)
                .clock(clock)
                .serviceName("Portcullis")
                .tokens(config.apply(TokenSettings.builder().keys(keys).issuer(ISSUER).audience(AUDIENCE)).build())
                .build();
        tokens = auth.tokens();
        apiKeys = auth.apiKeys();
    }

    RegistrationResult.Registered register(String email) {
        return (RegistrationResult.Registered) auth.accounts().register(
                new Registration(email, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), ADDRESS);
    }

    TokenIssueResult.Issued issue(String email) {
        return (TokenIssueResult.Issued) tokens.issue(credentials(email, PASSWORD), ADDRESS);
    }

    static Credentials credentials(String email, String password) {
        return new Credentials(email, RawPassword.of(password));
    }

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
