package dev.portcullis.passkey;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A passkey as its owner sees it in a list.
 *
 * @param id       the credential id (base64url), to rename or delete it
 * @param synced   whether it may be synced to the owner's other devices (backup eligible)
 * @param lastUsed empty when it never signed in
 */
public record PasskeyInfo(String id, String name, Instant created, Optional<Instant> lastUsed, boolean synced,
                          Set<String> transports) {
}
