package dev.portcullis.examples.webapp;

import dev.portcullis.Portcullis;
import dev.portcullis.model.SessionToken;
import dev.portcullis.passkey.PasskeyInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model of {@code templates/passkeys-section.mustache}, the passkey part of {@code /mfa}: the
 * account's passkeys for the list with its rename and delete forms, and the notice of a failed
 * form post. Kept apart from the page so the page can hold other second factors beside it.
 */
final class PasskeySection {

    /** A failed rename or delete: the sentence for the top of the section, field messages, the passkey it was about. */
    record Notice(String message, Map<String, List<String>> errors, String passkeyId) {
    }

    private PasskeySection() {
    }

    /** Adds {@code passkeysEnabled}, {@code passkeys} and the notice, if any, to a page model. */
    static void addTo(Map<String, Object> model, Portcullis portcullis, Optional<SessionToken> session,
                      Optional<Notice> notice) {
        boolean enabled = portcullis.passkeys().enabled();
        model.put("passkeysEnabled", enabled);
        if (!enabled || session.isEmpty()) {
            return;
        }
        String csrf = (String) model.getOrDefault("csrf", "");
        List<PasskeyInfo> mine = portcullis.passkeys().list(session.get()).orElse(List.of());
        model.put("passkeys", mine.stream().map(p -> Map.of(
                "id", p.id(),
                "name", p.name(),
                "created", AppServlet.time(p.created()),
                "lastUsed", p.lastUsed().map(AppServlet::time).orElse("never"),
                "synced", p.synced(),
                "csrf", csrf,
                "errors", notice.filter(n -> n.passkeyId().equals(p.id())).map(Notice::errors).orElse(Map.of())))
                .toList());
        model.put("noPasskeys", mine.isEmpty());
        notice.filter(n -> !n.message().isEmpty()).ifPresent(n -> model.put("passkeyMessage", n.message()));
    }
}
