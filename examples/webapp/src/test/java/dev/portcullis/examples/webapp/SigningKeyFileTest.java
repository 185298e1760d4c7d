package dev.portcullis.examples.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.token.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyFileTest {

    @Test
    void theKeyIsCreatedOnceOwnerOnlyAndReusedAfterARestart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys").resolve("jwt-signing-key.json");

        SigningKey first = SigningKeyFile.loadOrCreate(file);
        SigningKey again = SigningKeyFile.loadOrCreate(file);

        assertThat(again.keyId()).isEqualTo(first.keyId());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.list(file.getParent())).as("no temp file left behind").containsExactly(file);
    }
}
