package dev.portcullis.policy;

import dev.portcullis.model.EmailAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Roles given by configuration rather than code, e.g. a bootstrap administrator list: an account
 * whose address is listed for a role gets that role (added to its stored roles) at its next
 * sign-in, but only once its address is <em>verified</em> — otherwise anyone who registered the
 * listed address first would receive the role. Roles given this way are stored like any other, so
 * removing an address from the list does not take a role away (use {@code Accounts.setRoles}).
 * Immutable.
 */
public final class RoleGrants {

    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final RoleGrants NONE = new RoleGrants(Map.of());

    /** Canonical address → roles. */
    private final Map<String, Set<String>> byAddress;

    private RoleGrants(Map<String, Set<String>> byAddress) {
        this.byAddress = byAddress;
    }

    /** No roles from configuration (the default). */
    public static RoleGrants none() {
        return NONE;
    }

    /**
     * These grants plus {@code role} for each of {@code emails}.
     *
     * @throws IllegalArgumentException for a role that is not 1-64 of {@code [A-Za-z0-9_.:-]}, or an
     *                                  address that does not parse
     */
    public RoleGrants with(String role, Iterable<String> emails) {
        Objects.requireNonNull(role, "role");
        if (!ROLE.matcher(role).matches()) {
            throw new IllegalArgumentException("a role is 1-64 of [A-Za-z0-9_.:-], was: " + role);
        }
        Map<String, Set<String>> copy = new HashMap<>();
        byAddress.forEach((address, roles) -> copy.put(address, new HashSet<>(roles)));
        for (String email : emails) {
            EmailAddress address = EmailAddress.parse(email)
                    .orElseThrow(() -> new IllegalArgumentException("not an email address: " + email));
            copy.computeIfAbsent(address.canonical(), a -> new HashSet<>()).add(role);
        }
        Map<String, Set<String>> frozen = new HashMap<>();
        copy.forEach((address, roles) -> frozen.put(address, Set.copyOf(roles)));
        return new RoleGrants(Map.copyOf(frozen));
    }

    /**
     * The roles an account should have beyond {@code current}, when its address is listed and
     * verified; empty when nothing is to be added.
     */
    public Optional<Set<String>> missing(EmailAddress email, boolean verified, Set<String> current) {
        Set<String> listed = byAddress.get(email.canonical());
        if (listed == null || !verified || current.containsAll(listed)) {
            return Optional.empty();
        }
        Set<String> all = new HashSet<>(current);
        all.addAll(listed);
        return Optional.of(Set.copyOf(all));
    }

    /** Whether any role is granted by configuration. */
    public boolean isEmpty() {
        return byAddress.isEmpty();
    }
}
