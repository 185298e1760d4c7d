package dev.portcullis.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.PlanarYUVLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The drawn SVG scans back to the text (ZXing reads it as a phone's camera app would). */
class QrCodeSvgTest {

    static final String URI = "otpauth://totp/Acme:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
            + "&issuer=Acme&algorithm=SHA1&digits=6&period=30";
    private static final Pattern RUN = Pattern.compile("M(\\d+),(\\d+)h(\\d+)v1h-(\\d+)z");

    @Test
    void pathOfAnOtpauthUriDecodesToTheUri() throws Exception {
        QrCodeSvg qr = QrCodeSvg.of(URI);
        assertThat(decode(qr)).isEqualTo(URI);
    }

    @Test
    void svgIsOneInlineElementWithoutStyleOrDataUri() {
        String svg = QrCodeSvg.of(URI).svg("QR code for \"Acme\" <app>");
        assertThat(svg).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").endsWith("</svg>")
                .contains("aria-label=\"QR code for &quot;Acme&quot; &lt;app&gt;\"")
                .doesNotContain("style", "data:", "script", "<app>");
    }

    @Test
    void viewBoxAndPathSurviveHtmlEscapingUnchanged() {
        QrCodeSvg qr = QrCodeSvg.of(URI);
        assertThat(qr.viewBox()).matches("0 0 \\d+ \\d+");
        assertThat(qr.path()).matches("[Mhvz0-9, -]+");
        assertThat(qr.size()).isGreaterThan(2 * QrCodeSvg.BORDER + 20);
    }

    @Test
    void emptyOrOverlongTextIsRefused() {
        assertThatThrownBy(() -> QrCodeSvg.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QrCodeSvg.of("x".repeat(1025))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1024");
    }

    @Test
    void pathWithMarkupIsRefused() {
        assertThatThrownBy(() -> new QrCodeSvg(30, "M1,1h1v1h-1z\"/><script>")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Paints the path's rectangles at 3 pixels per module, black on white, and reads the picture. */
    static String decode(QrCodeSvg qr) throws Exception {
        int scale = 3;
        int width = qr.size() * scale;
        byte[] pixels = new byte[width * width];
        Arrays.fill(pixels, (byte) 0xff);
        Matcher m = RUN.matcher(qr.path());
        int runs = 0;
        while (m.find()) {
            int x = Integer.parseInt(m.group(1));
            int y = Integer.parseInt(m.group(2));
            int length = Integer.parseInt(m.group(3));
            assertThat(m.group(4)).isEqualTo(m.group(3));
            for (int py = y * scale; py < (y + 1) * scale; py++) {
                Arrays.fill(pixels, py * width + x * scale, py * width + (x + length) * scale, (byte) 0);
            }
            runs++;
        }
        assertThat(runs).isPositive();
        PlanarYUVLuminanceSource source = new PlanarYUVLuminanceSource(pixels, width, width, 0, 0, width, width, false);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)),
                Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
    }
}
