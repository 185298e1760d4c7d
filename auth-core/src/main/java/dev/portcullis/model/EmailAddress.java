package dev.portcullis.model;

import java.text.Normalizer;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 *
 * <p>Look-alikes: {@code pаypal@example.com} with a Cyrillic {@code а} is a different address from
 * {@code paypal@example.com}, and would register as a second account that looks like the first.
 * Parsing accepts it (an address already stored must always read back), but registration and
 * email change refuse a local part that {@linkplain #localPartMixesScripts() mixes scripts}, with
 * a field error on {@code email}. Addresses in one script (all Cyrillic, all Greek, …) and the
 * usual CJK combinations remain welcome; confusables within one script (Latin {@code l} and
 * {@code 1} and {@code I}) are not detected, nor are look-alike domains, which the domain's
 * registry polices.
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
        String stripped = raw.strip();
        if (isAscii(stripped)) {
            return parseAscii(stripped); // NFKC leaves ASCII unchanged; the same rules without regexes
        }
        String text = Normalizer.normalize(stripped, Normalizer.Form.NFKC);
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

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #parse} for ASCII input, as plain loops: addresses are parsed again whenever a store
     * reads one back, i.e. on every session lookup. Accepts exactly what the regexes accept for
     * ASCII ({@code \p{L}\p{N}} are then {@code [A-Za-z0-9]}); tested against them.
     */
    private static Optional<EmailAddress> parseAscii(String text) {
        if (text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1 || at > MAX_LOCAL_LENGTH) {
            return Optional.empty();
        }
        if (text.charAt(0) == '.' || text.charAt(at - 1) == '.') {
            return Optional.empty();
        }
        for (int i = 0; i < at; i++) {
            char c = text.charAt(i);
            if (!(isAlnum(c) || LOCAL_SPECIALS.indexOf(c) >= 0) || (c == '.' && text.charAt(i + 1) == '.')) {
                return Optional.empty();
            }
        }
        // Domain: two or more labels of 1-63 letters, digits and '-', not starting or ending with '-'.
        int labels = 0;
        int start = at + 1;
        while (true) {
            int end = text.indexOf('.', start);
            if (end < 0) {
                end = text.length();
            }
            int len = end - start;
            if (len < 1 || len > 63 || !isAlnum(text.charAt(start)) || !isAlnum(text.charAt(end - 1))) {
                return Optional.empty();
            }
            for (int i = start + 1; i < end - 1; i++) {
                char c = text.charAt(i);
                if (!isAlnum(c) && c != '-') {
                    return Optional.empty();
                }
            }
            labels++;
            if (end == text.length()) {
                break;
            }
            start = end + 1;
        }
        return labels >= 2 ? Optional.of(new EmailAddress(text)) : Optional.empty();
    }

    private static final String LOCAL_SPECIALS = ".!#$%&'*+/=?^_`{|}~-";

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** The regex path for any input; package-private for the test that compares both paths. */
    static Optional<EmailAddress> parseWithRegexes(String raw) {
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

    /**
     * Whether the letters before the {@code @} come from scripts that do not belong together, by
     * the "Highly Restrictive" level of Unicode Technical Standard #39 (Security Mechanisms): all
     * letters in one script, or only Latin with Han and Hiragana and Katakana (Japanese), with Han
     * and Bopomofo (Chinese), or with Han and Hangul (Korean). Digits, punctuation and combining
     * marks (scripts Common and Inherited) belong to every script. {@code jоhn} with a Cyrillic
     * {@code о}, or Latin mixed with Greek, mixes scripts; {@code иван}, {@code δοκιμή},
     * {@code 山田taro} and {@code john.doe+2} do not.
     */
    public boolean localPartMixesScripts() {
        String local = display.substring(0, display.lastIndexOf('@'));
        if (isAscii(local)) {
            return false;
        }
        Set<Character.UnicodeScript> scripts = EnumSet.noneOf(Character.UnicodeScript.class);
        for (int i = 0; i < local.length(); ) {
            int cp = local.codePointAt(i);
            i += Character.charCount(cp);
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            if (script != Character.UnicodeScript.COMMON && script != Character.UnicodeScript.INHERITED
                    && script != Character.UnicodeScript.UNKNOWN) {
                scripts.add(script);
            }
        }
        return scripts.size() > 1 && COMBINABLE.stream().noneMatch(allowed -> allowed.containsAll(scripts));
    }

    /** The script combinations UTS #39 "Highly Restrictive" allows besides a single script. */
    private static final List<Set<Character.UnicodeScript>> COMBINABLE = List.of(
            Set.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN, Character.UnicodeScript.HIRAGANA,
                    Character.UnicodeScript.KATAKANA),
            Set.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN, Character.UnicodeScript.BOPOMOFO),
            Set.of(Character.UnicodeScript.LATIN, Character.UnicodeScript.HAN, Character.UnicodeScript.HANGUL));

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
