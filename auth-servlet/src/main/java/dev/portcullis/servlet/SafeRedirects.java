package dev.portcullis.servlet;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Decides whether a user-supplied redirect target (a {@code next} parameter) may be followed.
 *
 * <p>A target is accepted only when it is a path inside the application: it starts with exactly
 * one {@code /}, consists of printable ASCII, and — checked on the value as given and again after
 * each round of percent-decoding until it stops changing — contains no backslash, no control
 * character or whitespace other than a decoded space, no second leading slash, and no {@code .} or {@code ..} segment.
 * Everything else ({@code //evil.com}, {@code /\evil.com}, {@code https://evil.com},
 * {@code javascript:...}, {@code %2F%2Fevil.com}, {@code /%09/evil.com}, …) is replaced by the
 * fallback. Accepted targets are <em>context-relative</em>: the caller prefixes the context path.
 *
 * <p>Stateless and thread-safe.
 */
public final class SafeRedirects {

    /** Longer targets are refused outright. */
    public static final int MAX_LENGTH = 2048;
    private static final int MAX_DECODE_ROUNDS = 5;

    private SafeRedirects() {
    }

    /**
     * Returns {@code candidate} when it is a safe same-application path, else {@code fallback}.
     *
     * @param candidate untrusted input, may be {@code null}
     * @param fallback  a known-safe path, returned for anything refused
     */
    public static String sanitize(String candidate, String fallback) {
        return isSafe(candidate) ? candidate : fallback;
    }

    /** Whether {@code candidate} may be used as a redirect target (see the class comment). */
    public static boolean isSafe(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        String current = candidate;
        for (int round = 0; round <= MAX_DECODE_ROUNDS; round++) {
            if (!safeShape(current)) {
                return false;
            }
            Optional<String> decoded = percentDecode(current);
            if (decoded.isEmpty()) {
                return false;
            }
            if (decoded.get().equals(current)) {
                return true;
            }
            current = decoded.get();
        }
        return false; // still changing after several rounds: nobody needs that
    }

    private static boolean safeShape(String s) {
        if (s.length() < 1 || s.charAt(0) != '/') {
            return false;
        }
        if (s.length() > 1 && (s.charAt(1) == '/' || s.charAt(1) == '\\')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || Character.isISOControl(c)
                    || (c != ' ' && (Character.isWhitespace(c) || Character.isSpaceChar(c)))) {
                return false;
            }
        }
        int end = indexOfAny(s, "?#");
        String path = end < 0 ? s : s.substring(0, end);
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** One round of percent-decoding as UTF-8; empty when malformed. {@code +} is left alone. */
    static Optional<String> percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return Optional.of(s);
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 3);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.put((byte) (hi * 16 + lo));
                i += 2;
            } else {
                bytes.put(StandardCharsets.UTF_8.encode(String.valueOf(c)));
            }
        }
        bytes.flip();
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
