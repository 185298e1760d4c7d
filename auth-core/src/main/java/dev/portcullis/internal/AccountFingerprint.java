package dev.portcullis.internal;

import dev.portcullis.spi.StoredUser;

/**
 * Fingerprints of the account state a credential depends on. A credential issued under one state
 * dies when the state changes: a session or token issued while a password reset ran is withdrawn
 * (the stamp), a mailed link stops working once the password or the address changed (the binding).
 */
public final class AccountFingerprint {

    private AccountFingerprint() {
    }

    /** The password state: changes with every new hash (change, reset, rehash). */
    public static String stamp(StoredUser user) {
        return Secrets.sha256Hex(user.passwordHash().encoded());
    }

    /** Password and address: a one-time link is bound to both. */
    public static String binding(StoredUser user) {
        return Secrets.sha256Hex(user.passwordHash().encoded() + "\n" + user.email().canonical());
    }

    public static boolean bindingMatches(StoredUser user, String binding) {
        return Secrets.constantTimeEquals(binding(user), binding);
    }
}
