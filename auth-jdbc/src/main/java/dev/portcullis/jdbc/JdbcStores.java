package dev.portcullis.jdbc;

import dev.portcullis.Stores;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Every Portcullis store over one {@link DataSource}, for {@code Portcullis.builder().stores(..)}.
 * The tables must exist: run {@link JdbcSchema#migrate()} first (same {@link JdbcOptions}). Replace
 * single stores with the {@code Stores.with*} methods, e.g. an existing user table through
 * {@code .withUsers(JdbcUserStore.mapped(..))}. The set includes the identity store
 * ({@link JdbcIdentityStore}, for sign-in with OpenID Connect providers); the second-factor stores
 * come with {@link #withSecondFactors}.
 */
public final class JdbcStores {

    private JdbcStores() {
    }

    /** With the default table prefix ({@value JdbcOptions#DEFAULT_TABLE_PREFIX}). */
    public static Stores create(DataSource dataSource) {
        return create(dataSource, JdbcOptions.defaults());
    }

    public static Stores create(DataSource dataSource, JdbcOptions options) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(options, "options");
        return new Stores(new JdbcUserStore(dataSource, options), new JdbcSessionStore(dataSource, options),
                new JdbcAttemptStore(dataSource, options), Optional.of(new JdbcRememberMeStore(dataSource, options)),
                Optional.of(new JdbcOneTimeTokenStore(dataSource, options)),
                Optional.of(new JdbcRefreshTokenStore(dataSource, options)),
                Optional.of(new JdbcApiKeyStore(dataSource, options)),
                Optional.of(new JdbcTokenEpochStore(dataSource, options)), Optional.empty(), Optional.empty(),
                Optional.of(new JdbcIdentityStore(dataSource, options)));
    }

    /**
     * Every store, the second-factor stores included ({@link JdbcSecondFactorStore},
     * {@link JdbcPendingSignInStore}): for an application that switches two-factor sign-in on
     * (it then also needs {@code Portcullis.builder().secondFactorKey(..)}).
     */
    public static Stores withSecondFactors(DataSource dataSource, JdbcOptions options) {
        return create(dataSource, options).withSecondFactors(new JdbcSecondFactorStore(dataSource, options),
                new JdbcPendingSignInStore(dataSource, options));
    }
}
