package dev.portcullis.examples.webapp;

import dev.portcullis.Portcullis;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.oidc.OidcLogin;
import dev.portcullis.oidc.OidcProvider;
import dev.portcullis.spi.IdentityRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The page models of "Sign in with …" ({@code templates/oidc-buttons.mustache}, on {@code /login})
 * and of the linked identities ({@code templates/identities-section.mustache}, on {@code /profile}).
 * The endpoints themselves are auth-oidc's {@code OidcServlet} at {@code /auth/oidc/*}: plain links
 * and forms, no script, so the strict CSP holds. Without configured providers both models are
 * empty and the partials render nothing.
 */
final class OidcSection {

    private final Optional<OidcLogin> login;
    private final Portcullis portcullis;

    OidcSection(Optional<OidcLogin> login, Portcullis portcullis) {
        this.login = login;
        this.portcullis = portcullis;
    }

    static OidcSection none(Portcullis portcullis) {
        return new OidcSection(Optional.empty(), portcullis);
    }

    /** For the login page: one "Sign in with …" link per provider, carrying {@code next} (already sanitised). */
    Map<String, Object> loginModel(String next) {
        if (login.isEmpty()) {
            return Map.of();
        }
        String query = next.isEmpty() ? "" : "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
        List<Map<String, Object>> buttons = login.get().providers().stream()
                .<Map<String, Object>>map(p -> Map.of("id", p.id(), "displayName", p.displayName(),
                        "startUrl", "/auth/oidc/" + p.id() + "/start" + query))
                .toList();
        return Map.of("oidcButtons", !buttons.isEmpty(), "oidcProviders", buttons);
    }

    /**
     * For the settings page: the linked identities, each with an unlink form unless it is the
     * account's last way in (no password, no other identity: the server refuses that too), and a
     * link form per provider not yet linked.
     */
    Map<String, Object> settingsModel(CurrentUser me, String csrf) {
        if (login.isEmpty()) {
            return Map.of();
        }
        List<IdentityRecord> linked = portcullis.identities().linked(me.id());
        boolean canUnlink = linked.size() > 1 || portcullis.identities().hasPassword(me.id());
        List<Map<String, Object>> identities = new ArrayList<>();
        List<Map<String, Object>> linkable = new ArrayList<>();
        for (OidcProvider p : login.get().providers()) {
            List<IdentityRecord> mine = linked.stream().filter(r -> r.issuer().equals(p.issuer().toString())).toList();
            for (IdentityRecord r : mine) {
                Map<String, Object> row = new HashMap<>();
                row.put("id", p.id());
                row.put("displayName", p.displayName());
                row.put("subject", r.subject());
                row.put("email", r.email().orElse(""));
                row.put("linkedAt", AppServlet.time(r.linkedAt()));
                row.put("canUnlink", canUnlink);
                row.put("csrf", csrf);
                identities.add(row);
            }
            if (mine.isEmpty()) {
                linkable.add(Map.of("id", p.id(), "displayName", p.displayName(), "csrf", csrf));
            }
        }
        Map<String, Object> model = new HashMap<>();
        model.put("oidcSection", true);
        model.put("identities", identities);
        model.put("linkable", linkable);
        return model;
    }
}
