package dev.portcullis.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints compact JWS by hand with the JDK alone (no nimbus): hand-written JSON, base64url, and
 * {@link Signature} or {@link Mac} over {@code header.payload}. An independent implementation, and
 * a way to craft the tokens an attacker would.
 */
final class Jws {

    private Jws() {
    }

    static String b64(String json) {
        return b64(json.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    static String signingInput(String headerJson, String payloadJson) {
        return b64(headerJson) + "." + b64(payloadJson);
    }

    /** RS256 ({@code SHA256withRSA}). */
    static String rs256(String headerJson, String payloadJson, PrivateKey key) {
        return sign(headerJson, payloadJson, key, "SHA256withRSA");
    }

    /** ES256: ECDSA P-256 with the signature as R || S (JWS format), not DER. */
    static String es256(String headerJson, String payloadJson, PrivateKey key) {
        return sign(headerJson, payloadJson, key, "SHA256withECDSAinP1363Format");
    }

    /** HS256 with any bytes as the key, e.g. a public key's encoding in a confusion attack. */
    static String hs256(String headerJson, String payloadJson, byte[] secret) {
        String input = signingInput(headerJson, payloadJson);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(String headerJson, String payloadJson, PrivateKey key, String algorithm) {
        String input = signingInput(headerJson, payloadJson);
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims for the fixture's issuer and audience, issued at {@code iat} for ten minutes. */
    static String claims(String sub, long iat) {
        return claims(TokenFixture.ISSUER, "\"" + TokenFixture.AUDIENCE + "\"", sub, iat, iat + 600);
    }

    /** @param audJson the {@code aud} value as JSON: a quoted string or an array */
    static String claims(String iss, String audJson, String sub, long iat, long exp) {
        return "{\"iss\":\"" + iss + "\",\"aud\":" + audJson + ",\"sub\":\"" + sub + "\",\"iat\":" + iat
                + ",\"exp\":" + exp + ",\"jti\":\"hand-made-" + iat + "\"}";
    }

    static String header(String alg, String kid) {
        return "{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\",\"kid\":\"" + kid + "\"}";
    }
}
