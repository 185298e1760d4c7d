package dev.portcullis.identity;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An identity an external provider has just proven, as the protocol adapter (auth-oidc) hands it
 * to {@link Identities}: only after the ID token's signature, issuer, audience, expiry and nonce
 * were checked. The facts the core decides on are all here; the decisions are the core's.
 *
 * @param issuer                the provider's issuer identifier (the token's {@code iss})
 * @param subject               the provider's identifier of the user (the token's {@code sub})
 * @param provider              the provider's display name ("Google"), for mails and pages
 * @param email                 the address the provider reports, if any (the {@code email} claim)
 * @param emailVerified         whether the provider says it verified that address ({@code email_verified})
 * @param authoritativeDomains  the mail domains the application marked this provider as authoritative
 *                              for (it owns their mailboxes, e.g. a company's own Entra ID tenant for
 *                              its domain); lower case; usually empty
 * @param secondFactorAtProvider whether the provider's {@code acr}/{@code amr} show a second factor
 *                              the application chose to trust in place of its own
 * @param amr                   the authentication methods the provider reports, for the audit trail
 */
public record VerifiedIdentity(String issuer, String subject, String provider, Optional<String> email,
                               boolean emailVerified, Set<String> authoritativeDomains,
                               boolean secondFactorAtProvider, List<String> amr) {

    public VerifiedIdentity {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(email, "email");
        authoritativeDomains = Set.copyOf(authoritativeDomains);
        amr = List.copyOf(amr);
    }

    /**
     * Whether the address may be trusted as the account's without further proof: the provider
     * verified it <em>and</em> the application marked the provider authoritative for its domain.
     * {@code email_verified} alone is never enough: many providers let a user claim any address,
     * and some report it verified without owning the domain (the "nOAuth" class of takeovers).
     */
    public boolean emailAuthoritative() {
        if (!emailVerified || email.isEmpty()) {
            return false;
        }
        String address = email.get();
        int at = address.lastIndexOf('@');
        return at > 0 && authoritativeDomains.contains(address.substring(at + 1).toLowerCase(java.util.Locale.ROOT));
    }
}
