package dev.portcullis.passkey;

import java.util.List;

/**
 * The browser's answer to a registration ceremony, as sent (base64url fields).
 *
 * @param challenge the challenge of the options it answers
 * @param name      what the owner calls it; blank: "Passkey"
 */
public record PasskeyRegistration(String challenge, String clientDataJson, String attestationObject,
                                  List<String> transports, String name) {
    public PasskeyRegistration {
        transports = transports == null ? List.of() : List.copyOf(transports);
    }
}
