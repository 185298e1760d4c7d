package dev.portcullis.password;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of an Argon2 PHC string that decide whether it must be rehashed. */
record PhcArgon2(String type, int version, int memoryKiB, int iterations, int parallelism, int saltBytes, int tagBytes) {

    private static final Pattern PHC = Pattern.compile(
            "\\$(argon2id|argon2i|argon2d)\\$v=(\\d{1,3})\\$m=(\\d{1,8}),t=(\\d{1,4}),p=(\\d{1,3})"
                    + "\\$([A-Za-z0-9+/]{11,128})\\$([A-Za-z0-9+/]{22,256})");

    static Optional<PhcArgon2> parse(String encoded) {
        Matcher m = PHC.matcher(encoded);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new PhcArgon2(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                unpaddedBase64Bytes(m.group(6)), unpaddedBase64Bytes(m.group(7))));
    }

    private static int unpaddedBase64Bytes(String text) {
        return text.length() * 3 / 4;
    }
}
