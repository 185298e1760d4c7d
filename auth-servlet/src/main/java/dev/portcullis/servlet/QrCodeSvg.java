package dev.portcullis.servlet;

import io.nayuki.qrcodegen.DataTooLongException;
import io.nayuki.qrcodegen.QrCode;
import java.util.Objects;

/**
 * A QR code drawn on the server as SVG, for the {@code otpauth://} URI of an authenticator-app
 * enrolment ({@code TotpSetup.uri()}): no external service ever sees the secret, and the picture is
 * inline markup, not a {@code data:} URI or an image from another origin, so a strict
 * Content-Security-Policy ({@code img-src 'self'}, no inline style) holds. The SVG uses only
 * presentation attributes ({@code fill}, {@code shape-rendering}), which CSP does not govern.
 *
 * <p>Two ways to put it in a page:
 * <ul>
 *   <li>{@link #svg(String)}: the whole {@code <svg>} element, for an engine that writes it
 *       unescaped (its only text is the label, which is escaped here);</li>
 *   <li>{@link #viewBox()} and {@link #path()} inside the page's own {@code <svg>} markup, for a
 *       template that escapes every value (Mustache's {@code {{ }}}): both hold only digits,
 *       spaces and the path letters {@code M h v z}, which escaping leaves alone.</li>
 * </ul>
 *
 * <p>Drawn with error correction level M and the standard quiet zone of 4 modules (ISO/IEC 18004),
 * black on white. Immutable and thread-safe.
 *
 * @param size the width and height in modules, quiet zone included
 * @param path SVG path data: one rectangle per horizontal run of dark modules
 */
public record QrCodeSvg(int size, String path) {

    /** The quiet zone around the symbol, in modules: readers need it on a page of any colour. */
    static final int BORDER = 4;
    /** Longer texts do not belong in a QR code shown to a phone camera (an otpauth URI is ~150 characters). */
    static final int MAX_TEXT = 1024;
    /** The drawn size in CSS pixels per module: about 200 px for an otpauth URI. */
    static final int PIXELS_PER_MODULE = 4;

    public QrCodeSvg {
        if (size <= 2 * BORDER) {
            throw new IllegalArgumentException("size must exceed the quiet zone, was " + size);
        }
        Objects.requireNonNull(path, "path");
        if (!path.matches("[Mhvz0-9, -]*")) {
            throw new IllegalArgumentException("path must hold only path data (M, h, v, z, digits)");
        }
    }

    /**
     * The QR code of {@code text} (UTF-8, byte mode or a denser one where the text allows).
     *
     * @throws IllegalArgumentException when {@code text} is empty or longer than 1024 characters
     */
    public static QrCodeSvg of(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty() || text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("text must be 1 to " + MAX_TEXT + " characters, was " + text.length());
        }
        QrCode qr;
        try {
            qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        } catch (DataTooLongException e) {
            throw new IllegalArgumentException("text does not fit in a QR code", e);
        }
        StringBuilder d = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            int x = 0;
            while (x < qr.size) {
                if (!qr.getModule(x, y)) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < qr.size && qr.getModule(x, y)) {
                    x++;
                }
                int run = x - start;
                if (d.length() > 0) {
                    d.append(' ');
                }
                d.append('M').append(start + BORDER).append(',').append(y + BORDER)
                        .append('h').append(run).append("v1h-").append(run).append('z');
            }
        }
        return new QrCodeSvg(qr.size + 2 * BORDER, d.toString());
    }

    /** The {@code viewBox} attribute's value: {@code 0 0 size size}. */
    public String viewBox() {
        return "0 0 " + size + " " + size;
    }

    /** The drawn width and height in CSS pixels. */
    public int pixels() {
        return size * PIXELS_PER_MODULE;
    }

    /**
     * The {@code <svg>} element, with {@code role="img"} and {@code label} as its accessible name
     * (HTML-escaped here).
     */
    public String svg(String label) {
        Objects.requireNonNull(label, "label");
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"" + viewBox() + "\" width=\"" + pixels()
                + "\" height=\"" + pixels() + "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\""
                + escape(label) + "\"><rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#fff\"/><path d=\""
                + path + "\" fill=\"#000\"/></svg>";
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
