package dev.portcullis.examples.webapp;

import dev.portcullis.token.SigningKey;
import dev.portcullis.token.TokenAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The access-token signing key, kept in a file readable only by its owner (in a directory created
 * owner-only) so tokens survive a restart. Created (RS256) on first start. Production setups keep
 * keys in a secret store.
 */
final class SigningKeyFile {

    private SigningKeyFile() {
    }

    static SigningKey loadOrCreate(Path file) throws IOException {
        return SigningKey.fromPrivateJwkJson(loadOrCreateJwk(file));
    }

    /** The private JWK's text, as stored (created first if there is no file). */
    static String loadOrCreateJwk(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        String json = SigningKey.generate(TokenAlgorithm.RS256).toPrivateJwkJson();
        Path parent = file.toAbsolutePath().getParent();
        DataDirectory.createOwnerOnly(parent);
        Path temp = Files.createTempFile(parent, "jwt-key", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system (Windows): rely on the directory's permissions
            }
            Files.writeString(temp, json, StandardCharsets.UTF_8);
            Files.move(temp, file);
        } catch (FileAlreadyExistsException e) {
            // another process created it first: use theirs
            Files.deleteIfExists(temp);
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        return json;
    }
}
