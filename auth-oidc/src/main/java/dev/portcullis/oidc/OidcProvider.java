package dev.portcullis.oidc;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One OpenID Connect provider the application signs users in with: its issuer (the rest comes from
 * the issuer's discovery document, {@code /.well-known/openid-configuration}), the client
 * registered there, and what the application trusts it for. Immutable; build with
 * {@link #builder(String)} or a preset ({@link #google}, {@link #microsoft}, {@link #keycloak}).
 */
public final class OidcProvider {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Pattern TENANT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final String id;
    private final String displayName;
    private final URI issuer;
    private final String clientId;
    private final String clientSecret;
    private final List<String> scopes;
    private final Set<String> authoritativeDomains;
    private final Set<String> trustedAcr;
    private final Set<String> trustedAmr;

    private OidcProvider(Builder b) {
        this.id = b.id;
        this.displayName = b.displayName;
        this.issuer = b.issuer;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.scopes = List.copyOf(b.scopes);
        this.authoritativeDomains = Set.copyOf(b.authoritativeDomains);
        this.trustedAcr = Set.copyOf(b.trustedAcr);
        this.trustedAmr = Set.copyOf(b.trustedAmr);
    }

    /**
     * A provider named {@code id} (lower-case letters, digits and hyphens, at most 32: it appears in
     * the paths {@code /auth/oidc/<id>/start} and {@code /auth/oidc/<id>/callback}).
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** Google (issuer {@code https://accounts.google.com}), id {@code google}. */
    public static Builder google(String clientId, String clientSecret) {
        return builder("google").displayName("Google").issuer(URI.create("https://accounts.google.com"))
                .client(clientId, clientSecret);
    }

    /**
     * Microsoft Entra ID, one tenant (issuer {@code https://login.microsoftonline.com/<tenant>/v2.0}),
     * id {@code microsoft}. The tenant is its directory id (a GUID): the multi-tenant endpoints
     * ({@code common}, {@code organizations}, {@code consumers}) publish no single issuer, so their ID
     * tokens cannot be checked against one and are refused here. Entra's {@code email} claim is not
     * verified by Microsoft and it sends no {@code email_verified}: an Entra identity is therefore
     * never linked by address, whatever {@link Builder#authoritativeFor} says.
     */
    public static Builder microsoft(String tenantId, String clientId, String clientSecret) {
        Objects.requireNonNull(tenantId, "tenantId");
        if (!TENANT.matcher(tenantId).matches()) {
            throw new IllegalArgumentException("tenantId must be the directory (tenant) id, a GUID such as"
                    + " 72f988bf-86f1-41af-91ab-2d7cd011db47; common, organizations and consumers have no single issuer");
        }
        return builder("microsoft").displayName("Microsoft")
                .issuer(URI.create("https://login.microsoftonline.com/" + tenantId.toLowerCase(Locale.ROOT) + "/v2.0"))
                .client(clientId, clientSecret);
    }

    /** Keycloak, one realm: the issuer is the realm's URL, {@code https://sso.example.com/realms/<realm>}; id {@code keycloak}. */
    public static Builder keycloak(URI realmUrl, String clientId, String clientSecret) {
        return builder("keycloak").displayName("Keycloak").issuer(realmUrl).client(clientId, clientSecret);
    }

    public String id() {
        return id;
    }

    /** "Google": shown on buttons ("Sign in with Google") and in mails. */
    public String displayName() {
        return displayName;
    }

    /** The issuer identifier, exactly as the provider's ID tokens carry it. */
    public URI issuer() {
        return issuer;
    }

    public String clientId() {
        return clientId;
    }

    /** The client secret; never printed by {@link #toString()}. */
    String clientSecret() {
        return clientSecret;
    }

    /** Requested scopes; always {@code openid}, by default also {@code email} and {@code profile}. */
    public List<String> scopes() {
        return scopes;
    }

    /** Mail domains the provider is authoritative for (lower case); empty unless configured. */
    public Set<String> authoritativeDomains() {
        return authoritativeDomains;
    }

    /** Whether an ID token's {@code acr} or {@code amr} shows a second factor the application trusts. */
    public boolean secondFactorShown(String acr, List<String> amr) {
        return (acr != null && trustedAcr.contains(acr)) || amr.stream().anyMatch(trustedAmr::contains);
    }

    @Override
    public String toString() {
        return "OidcProvider[id=" + id + ", issuer=" + issuer + ", clientId=" + clientId + "]";
    }

    /** Collects a provider's settings; each setter checks its argument at once. */
    public static final class Builder {
        private final String id;
        private String displayName;
        private URI issuer;
        private String clientId;
        private String clientSecret;
        private final Set<String> scopes = new LinkedHashSet<>(List.of("openid", "email", "profile"));
        private final Set<String> authoritativeDomains = new LinkedHashSet<>();
        private final Set<String> trustedAcr = new LinkedHashSet<>();
        private final Set<String> trustedAmr = new LinkedHashSet<>();

        private Builder(String id) {
            Objects.requireNonNull(id, "id");
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("provider id must be 1..32 lower-case letters, digits or hyphens, was " + id);
            }
            this.id = id;
            this.displayName = id;
        }

        public Builder displayName(String value) {
            Objects.requireNonNull(value, "displayName");
            if (value.isBlank()) {
                throw new IllegalArgumentException("displayName must not be blank");
            }
            this.displayName = value.strip();
            return this;
        }

        /**
         * Required: the issuer identifier, an {@code https} URL without query or fragment (plain
         * {@code http} only for {@code localhost} and {@code 127.0.0.1}, for development and tests).
         */
        public Builder issuer(URI value) {
            Objects.requireNonNull(value, "issuer");
            boolean local = "http".equals(value.getScheme())
                    && ("localhost".equals(value.getHost()) || "127.0.0.1".equals(value.getHost()));
            if (!value.isAbsolute() || !("https".equals(value.getScheme()) || local) || value.getQuery() != null
                    || value.getFragment() != null) {
                throw new IllegalArgumentException("issuer must be an https URL without query or fragment, was " + value);
            }
            this.issuer = value;
            return this;
        }

        /** Required: the client registered at the provider (confidential client, secret sent by HTTP Basic or POST). */
        public Builder client(String id, String secret) {
            Objects.requireNonNull(id, "clientId");
            Objects.requireNonNull(secret, "clientSecret");
            if (id.isBlank() || secret.isEmpty()) {
                throw new IllegalArgumentException("clientId and clientSecret must not be empty");
            }
            this.clientId = id;
            this.clientSecret = secret;
            return this;
        }

        /** Adds scopes to {@code openid email profile}. */
        public Builder scopes(String... values) {
            for (String v : values) {
                if (Objects.requireNonNull(v, "scope").isBlank() || v.contains(" ")) {
                    throw new IllegalArgumentException("a scope is one word, was '" + v + "'");
                }
                scopes.add(v);
            }
            return this;
        }

        /**
         * Marks the provider as authoritative for these mail domains: it owns their mailboxes (your
         * company's own identity provider for the company's domain). Only then does a verified
         * address ({@code email_verified}) from this provider count as proof: a new account's
         * address is marked verified, and an existing account with that address is linked without
         * its owner signing in first. Never mark a provider authoritative for a domain whose
         * addresses its users can claim (a public provider for another company's domain). Default
         * none: no address from this provider is proof of anything.
         */
        public Builder authoritativeFor(String... domains) {
            for (String d : domains) {
                String domain = Objects.requireNonNull(d, "domain").strip().toLowerCase(Locale.ROOT);
                if (domain.isEmpty() || domain.contains("@") || domain.startsWith(".") || !domain.contains(".")) {
                    throw new IllegalArgumentException("a domain such as example.com, was '" + d + "'");
                }
                authoritativeDomains.add(domain);
            }
            return this;
        }

        /**
         * Trusts the provider's second factor: an ID token whose {@code acr} is one of {@code acr},
         * or whose {@code amr} contains one of {@code amr} (e.g. {@code "mfa"}, {@code "otp"},
         * {@code "hwk"}), counts as the second factor the account would otherwise need locally.
         * Default none: a local second factor is still asked for where enrolled.
         */
        public Builder trustSecondFactor(Set<String> acr, Set<String> amr) {
            trustedAcr.addAll(Objects.requireNonNull(acr, "acr"));
            trustedAmr.addAll(Objects.requireNonNull(amr, "amr"));
            return this;
        }

        public OidcProvider build() {
            if (issuer == null) {
                throw new IllegalStateException("issuer is required: call OidcProvider.builder(id).issuer(URI)");
            }
            if (clientId == null) {
                throw new IllegalStateException("client is required: call OidcProvider.builder(id).client(clientId, clientSecret)");
            }
            return new OidcProvider(this);
        }
    }
}
