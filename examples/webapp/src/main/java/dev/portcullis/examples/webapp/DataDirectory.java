package dev.portcullis.examples.webapp;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The directories the app keeps secrets in (the embedded database with its password hashes, the
 * signing key) are created readable by their owner only, whatever the umask: a world-readable
 * H2 file hands every local user the hashes (issue 12, item 10). A directory that already exists
 * is left as it is, with a warning when others can read it; the database files themselves are
 * made owner-only once H2 has created them.
 */
final class DataDirectory {

    private static final System.Logger LOG = System.getLogger(DataDirectory.class.getName());
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    /** {@code jdbc:h2:file:PATH} or {@code jdbc:h2:PATH}, the path ending at the first {@code ;}. */
    private static final Pattern H2_FILE = Pattern.compile("jdbc:h2:(?:file:)?([^;]+).*", Pattern.CASE_INSENSITIVE);
    private static final Pattern OTHER_H2_MODE = Pattern.compile("(?i)(mem|tcp|ssl|zip|nio\\w*|split|async|memFS|memLZF|retry):.*");

    private DataDirectory() {
    }

    /** The database file prefix (without {@code .mv.db}) of an embedded H2 file URL; empty for anything else. */
    static Optional<Path> h2File(String jdbcUrl) {
        Matcher m = H2_FILE.matcher(jdbcUrl);
        if (!m.matches() || OTHER_H2_MODE.matcher(m.group(1)).matches()) {
            return Optional.empty();
        }
        String path = m.group(1);
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return Optional.of(Path.of(path).toAbsolutePath().normalize());
    }

    /** Creates {@code dir} and its missing parents owner-only ({@code rwx------}); warns if it exists and others can enter it. */
    static void createOwnerOnly(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            warnIfShared(absolute);
            return;
        }
        Path parent = absolute.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createOwnerOnly(parent);
        }
        try {
            Files.createDirectory(absolute);
        } catch (FileAlreadyExistsException e) {
            // created meanwhile by another process
            warnIfShared(absolute);
            return;
        }
        // set after creation: the mode given to createDirectory is filtered by the umask
        setPermissions(absolute, OWNER_ONLY_DIR);
    }

    /** Makes the database's files (those H2 has created so far) owner-only. */
    static void restrictH2Files(Path filePrefix) throws IOException {
        Path dir = filePrefix.getParent();
        String name = filePrefix.getFileName().toString();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String f = file.getFileName().toString();
                if (f.startsWith(name + ".") && f.toLowerCase(Locale.ROOT).endsWith(".db") && Files.isRegularFile(file)) {
                    setPermissions(file, OWNER_ONLY_FILE);
                }
            }
        }
    }

    private static void setPermissions(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the user profile's ACLs apply
        }
    }

    private static void warnIfShared(Path dir) throws IOException {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir);
            if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_EXECUTE)
                    || p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.GROUP_EXECUTE)) {
                LOG.log(System.Logger.Level.WARNING, "{0} is readable by other users ({1}); it holds the database "
                        + "or the signing key: chmod 700 it", dir, PosixFilePermissions.toString(p));
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}
