package dev.portcullis.password;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The built-in blocklist: passwords that top public breach-frequency lists, and the patterns they
 * are built from (a common password followed by digits or symbols, one repeated character, a
 * keyboard or alphabet run). Small on purpose: for a thorough check plug in a breach corpus as
 * another {@link PasswordBlocklist}.
 */
public final class CommonPasswords implements PasswordBlocklist {

    private static final String SEQUENCES = "abcdefghijklmnopqrstuvwxyz " + "0123456789".repeat(8)
            + " qwertyuiopasdfghjklzxcvbnm 1qaz2wsx3edc4rfv5tgb6yhn";
    private static final String REVERSED = new StringBuilder(SEQUENCES).reverse().toString();
    private final Set<String> words;

    public CommonPasswords() {
        Set<String> loaded = new HashSet<>();
        try (InputStream in = CommonPasswords.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("common-passwords.txt missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    loaded.add(line.strip().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.words = Set.copyOf(loaded);
    }

    @Override
    public boolean isBlocked(String candidate) {
        if (words.contains(candidate) || isOneRepeatedUnit(candidate) || isRun(candidate)) {
            return true;
        }
        // "password123456!!" is still "password": strip trailing digits and symbols.
        String stem = candidate.replaceFirst("[\\p{N}\\p{P}\\p{S}\\s]+$", "");
        return !stem.equals(candidate) && (words.contains(stem) || isOneRepeatedUnit(stem));
    }

    private static boolean isOneRepeatedUnit(String s) {
        for (int unit = 1; unit <= 4 && unit < s.length(); unit++) {
            if (s.length() % unit == 0 && s.substring(0, unit).repeat(s.length() / unit).equals(s)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRun(String s) {
        return s.length() >= 4 && (SEQUENCES.contains(s) || REVERSED.contains(s));
    }
}
