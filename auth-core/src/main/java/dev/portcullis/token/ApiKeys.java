package dev.portcullis.token;

import dev.portcullis.Portcullis;
import dev.portcullis.internal.Core;
import dev.portcullis.internal.StepUp;
import dev.portcullis.internal.Secrets;
import dev.portcullis.model.SessionToken;
import dev.portcullis.model.FieldErrors;

import dev.portcullis.model.TokenDigest;
import dev.portcullis.model.UserId;
import dev.portcullis.spi.ApiKeyRecord;
import dev.portcullis.spi.ApiKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Personal access tokens (API keys): {@code pcl_} plus 256 random bits, shown once, stored only as
 * SHA-256, scoped, expiring, revocable by their owner and by every revocation of the owner's
 * credentials. Presented as {@code Authorization: Bearer} and resolved by
 * {@link Tokens#resolveBearer}. Obtain it from {@code Portcullis.apiKeys()}. Immutable and
 * thread-safe.
 */
public final class ApiKeys {

    static final int MAX_API_KEYS_PER_USER = 50;
    private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9:._/-]{1,64}");
    private static final int MAX_SCOPES = 32;
    private static final Duration MIN_API_KEY_LIFETIME = Duration.ofHours(1);

    private final Core core;
    private final ApiKeyStore store;
    private final Clock clock;
    private final Secrets random;
    private final Duration apiKeyMaxLifetime;

    /** Not API: built by {@code PortcullisBuilder.build()} (its parameter types are not exported). */
    @SuppressWarnings("exports")
    public ApiKeys(Core core, TokenSettings settings, TokenState state) {
        this.core = Objects.requireNonNull(core, "core");
        this.store = state.apiKeys;
        this.clock = core.clock();
        this.random = core.secrets();
        this.apiKeyMaxLifetime = settings.apiKeyMaxLifetime();
    }

    /**
     * Creates a personal access token for the session's user. A sensitive action: the session must
     * have proved every factor of the account within the step-up window, else
     * {@link ApiKeyResult.ReauthenticationRequired} (so a key is created only by a session that
     * signed in with all factors). The secret is in the result and nowhere else: only its SHA-256 is
     * stored.
     *
     * @param name     the owner's label, 1 to 100 characters (trimmed)
     * @param scopes   up to 32 scope names from {@code [A-Za-z0-9:._/-]}, each up to 64 characters
     * @param lifetime at least an hour, at most the configured maximum (default 366 days)
     */
    public ApiKeyResult create(SessionToken session, String name, Set<String> scopes, Duration lifetime) {
        StepUp.Freshness fresh = core.stepUp().freshness(Objects.requireNonNull(session, "session"), false);
        if (!fresh.authenticated()) {
            return new ApiKeyResult.NotAuthenticated();
        }
        if (!fresh.fresh()) {
            return new ApiKeyResult.ReauthenticationRequired();
        }
        return createFor(fresh.user().get().id(), name, scopes, lifetime);
    }

    /**
     * Creates a personal access token for {@code userId}, as {@link #create(SessionToken, String, Set, Duration)}
     * without the session's checks: refused ({@link ApiKeyResult.ReauthenticationRequired}) for an
     * account with a second factor, since nothing here shows that it was proved.
     *
     * @deprecated cannot tell whether the caller signed in with every factor, nor how recently:
     *     use {@link #create(SessionToken, String, Set, Duration)}
     */
    @Deprecated
    public ApiKeyResult create(UserId userId, String name, Set<String> scopes, Duration lifetime) {
        Objects.requireNonNull(userId, "userId");
        if (core.factors().enrolled(userId)) {
            return new ApiKeyResult.ReauthenticationRequired();
        }
        return createFor(userId, name, scopes, lifetime);
    }

    private ApiKeyResult createFor(UserId userId, String name, Set<String> scopes, Duration lifetime) {
        FieldErrors.Collector errors = new FieldErrors.Collector();
        String label = name == null ? "" : name.strip();
        if (label.isEmpty()) {
            errors.add("name", "Give the token a name.");
        } else if (label.codePointCount(0, label.length()) > 100 || label.chars().anyMatch(Character::isISOControl)) {
            errors.add("name", "Use at most 100 characters, without control characters.");
        }
        Set<String> scopeSet = scopes == null ? Set.of() : new LinkedHashSet<>(scopes);
        if (scopeSet.size() > MAX_SCOPES) {
            errors.add("scopes", "Use at most " + MAX_SCOPES + " scopes.");
        } else if (!scopeSet.stream().allMatch(s -> s != null && SCOPE.matcher(s).matches())) {
            errors.add("scopes", "Scopes are 1 to 64 letters, digits or : . _ / -");
        }
        if (lifetime == null || lifetime.compareTo(MIN_API_KEY_LIFETIME) < 0 || lifetime.compareTo(apiKeyMaxLifetime) > 0) {
            errors.add("lifetime", "Choose an expiry between one hour and " + apiKeyMaxLifetime.toDays() + " days.");
        }
        Instant now = clock.instant();
        if (errors.isEmpty() && store.findAllForUser(userId).stream()
                .filter(k -> now.isBefore(k.expiresAt())).count() >= MAX_API_KEYS_PER_USER) {
            errors.add("name", "You have " + MAX_API_KEYS_PER_USER + " tokens already; revoke one first.");
        }
        if (!errors.isEmpty()) {
            return new ApiKeyResult.Invalid(errors.toErrors());
        }
        String secret = Tokens.API_KEY_PREFIX + random.next(32);
        ApiKeyRecord record = new ApiKeyRecord(TokenDigest.of(secret), random.next(12), userId, label, scopeSet,
                now, now.plus(lifetime), Optional.empty());
        store.insert(record);
        return new ApiKeyResult.Created(view(record), secret);
    }

    /** The user's unexpired API keys, newest first, without secrets. */
    public List<ApiKey> list(UserId userId) {
        Instant now = clock.instant();
        return store.findAllForUser(Objects.requireNonNull(userId, "userId")).stream()
                .filter(k -> now.isBefore(k.expiresAt()))
                .map(ApiKeys::view)
                .toList();
    }

    /** Revokes one of the user's API keys by its public id. @return whether it existed and was the user's */
    public boolean revoke(UserId userId, String apiKeyId) {
        Objects.requireNonNull(userId, "userId");
        return apiKeyId != null && store.delete(userId, apiKeyId);
    }

    private static ApiKey view(ApiKeyRecord r) {
        return new ApiKey(r.id(), r.name(), r.scopes(), r.createdAt(), r.expiresAt(), r.lastUsedAt());
    }
}
