package dev.portcullis.mfa;

import java.util.List;

/**
 * A fresh set of single-use recovery codes, {@code xxxxx-xxxxx} (50 random bits each), to show the
 * user once: only keyed digests are stored. Any earlier set is void. Redacted in {@link #toString()}.
 */
public record RecoveryCodes(List<String> codes) {

    public RecoveryCodes {
        codes = List.copyOf(codes);
    }

    @Override
    public String toString() {
        return "RecoveryCodes[" + codes.size() + " codes, redacted]";
    }
}
