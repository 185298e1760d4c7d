package dev.portcullis.servlet.bootstrap;

import dev.portcullis.model.EmailAddress;
import dev.portcullis.spi.AuthEvent;
import dev.portcullis.spi.AuthEventListener;
import dev.portcullis.spi.AuthEventType;
import dev.portcullis.spi.StoredUser;
import dev.portcullis.spi.UserStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Roles given by configuration ({@code portcullis.roles.<role>=addresses}): added to the accounts
 * that exist at start, and to an account registered later with a listed address (on its
 * {@code REGISTERED} event). Roles are only added, never taken away: removing an address from the
 * list does not demote the account (do that through {@code Accounts.setRoles}). Thread-safe.
 */
final class ConfiguredRoles implements AuthEventListener {

    private static final System.Logger LOG = System.getLogger(ConfiguredRoles.class.getName());

    private final Map<EmailAddress, Set<String>> rolesByAddress;
    private final UserStore users;

    ConfiguredRoles(Map<EmailAddress, Set<String>> rolesByAddress, UserStore users) {
        Map<EmailAddress, Set<String>> copy = new HashMap<>();
        rolesByAddress.forEach((address, roles) -> copy.put(address, Set.copyOf(roles)));
        this.rolesByAddress = Map.copyOf(copy);
        this.users = users;
    }

    /** From the {@code portcullis.roles.*} settings; an address that is not one fails, naming the key. */
    static ConfiguredRoles from(BootstrapSettings settings, UserStore users) {
        Map<EmailAddress, Set<String>> byAddress = new HashMap<>();
        for (String key : settings.keysStartingWith(BootstrapKeys.ROLES_PREFIX)) {
            String role = key.substring(BootstrapKeys.ROLES_PREFIX.length());
            if (!role.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new SettingException(key + ": a role name is 1-64 of [A-Za-z0-9_.-]");
            }
            List<String> addresses = settings.list(key);
            for (String raw : addresses) {
                EmailAddress address = EmailAddress.parse(raw)
                        .orElseThrow(() -> new SettingException(key + ": not an email address: " + raw));
                byAddress.computeIfAbsent(address, a -> new HashSet<>()).add(role);
            }
        }
        return new ConfiguredRoles(byAddress, users);
    }

    boolean isEmpty() {
        return rolesByAddress.isEmpty();
    }

    /** Gives the roles to the accounts that exist now. */
    void assignExisting() {
        rolesByAddress.forEach((address, roles) -> users.findByEmail(address).ifPresent(this::add));
    }

    @Override
    public void onEvent(AuthEvent event) {
        if (event.type() != AuthEventType.REGISTERED || event.userId().isEmpty()) {
            return;
        }
        users.findById(event.userId().get()).ifPresent(this::add);
    }

    private void add(StoredUser user) {
        Set<String> wanted = rolesByAddress.get(user.email());
        if (wanted == null || user.roles().containsAll(wanted)) {
            return;
        }
        Set<String> roles = new HashSet<>(user.roles());
        roles.addAll(wanted);
        users.setRoles(user.id(), roles);
        LOG.log(System.Logger.Level.INFO, "gave roles {0} to account {1} (portcullis.roles.*)", wanted, user.id().value());
    }
}
