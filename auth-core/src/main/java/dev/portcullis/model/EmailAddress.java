package dev.portcullis.model;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An email address in two forms: {@link #display()} as the user typed it (trimmed, NFKC) and
 * {@link #canonical()} used for lookups and uniqueness (additionally lower-cased with
 * {@link Locale#ROOT}). Two addresses are equal when their canonical forms are equal.
 *
 * <p>Canonicalisation deliberately does no Unicode case folding beyond {@code toLowerCase}:
 * {@code mıke@example.com} (dotless ı) and {@code mike@example.com} are different addresses,
 * and mail always goes to the stored address, never to a spelling typed in a form
 * (see Django CVE-2019-19844).
 */
public final class EmailAddress {

    /** RFC 5321 limit for a whole path, less the angle brackets. */
    public static final int MAX_LENGTH = 254;
    private static final int MAX_LOCAL_LENGTH = 64;
    private static final Pattern LOCAL = Pattern.compile("[\\p{L}\\p{N}.!#$%&'*+/=?^_`{|}~-]+");
    private static final Pattern DOMAIN = Pattern.compile(
            "[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?"
                    + "(?:\\.[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?)+");

    private final String display;
    private final String canonical;

    private EmailAddress(String display) {
        this.display = display;
        this.canonical = display.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses an address typed by a user.
     *
     * @return the address, or empty when it is malformed or longer than {@value #MAX_LENGTH}
     *     characters
     */
    public static Optional<EmailAddress> parse(String raw) {
        if (raw == null || raw.length() > MAX_LENGTH * 4) {
            return Optional.empty();
        }
        String text = Normalizer.normalize(raw.strip(), Normalizer.Form.NFKC);
        if (text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1 || at > MAX_LOCAL_LENGTH) {
            return Optional.empty();
        }
        String local = text.substring(0, at);
        String domain = text.substring(at + 1);
        if (!LOCAL.matcher(local).matches() || local.startsWith(".") || local.endsWith(".")
                || local.contains("..") || !DOMAIN.matcher(domain).matches()) {
            return Optional.empty();
        }
        return Optional.of(new EmailAddress(text));
    }

    /**
     * Parses an address that is known to be well formed (for example read back from a store).
     *
     * @throws IllegalArgumentException if it is not
     */
    public static EmailAddress of(String raw) {
        return parse(raw).orElseThrow(() -> new IllegalArgumentException("malformed email address"));
    }

    /** The address as typed (trimmed, NFKC), for display and for sending mail. */
    public String display() {
        return display;
    }

    /** The lookup key: NFKC and lower case. */
    public String canonical() {
        return canonical;
    }

    /** The part before the last {@code @}, in canonical form. */
    public String localPart() {
        return canonical.substring(0, canonical.lastIndexOf('@'));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmailAddress other && canonical.equals(other.canonical);
    }

    @Override
    public int hashCode() {
        return Objects.hash(canonical);
    }

    @Override
    public String toString() {
        return display;
    }
}
