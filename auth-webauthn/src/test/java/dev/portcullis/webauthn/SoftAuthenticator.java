package dev.portcullis.webauthn;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput;
import dev.portcullis.passkey.CreationOptions;
import dev.portcullis.passkey.PasskeyAssertion;
import dev.portcullis.passkey.PasskeyRegistration;
import dev.portcullis.passkey.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A software authenticator for tests: a P-256 key pair and a counter, answering options the way a
 * browser and a platform authenticator would (client data JSON, authenticator data, attestation
 * {@code none}, ES256 signatures). Every field can be bent to build the bad cases: another origin,
 * no user verification, a counter that goes back.
 */
final class SoftAuthenticator {

    final KeyPair keys;
    final byte[] credentialId;
    final UUID aaguid = UUID.fromString("6d44ba9b-f6ec-2e49-b930-0c8fe920cb73");
    long counter;
    String origin;
    boolean userVerified = true;
    byte[] userHandle;

    private final ObjectConverter converter = new ObjectConverter();

    SoftAuthenticator(String origin, long startCounter) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            this.keys = g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
        this.credentialId = new byte[32];
        new java.security.SecureRandom().nextBytes(credentialId);
        this.origin = origin;
        this.counter = startCounter;
    }

    String id() {
        return b64(credentialId);
    }

    PasskeyRegistration register(CreationOptions options, String name) {
        return register(options.challenge(), options.rpId(), name);
    }

    PasskeyRegistration register(String challenge, String rpId, String name) {
        byte[] clientData = clientData("webauthn.create", challenge);
        AttestedCredentialData attested = new AttestedCredentialData(new AAGUID(aaguid), credentialId,
                EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256));
        AuthenticatorData<RegistrationExtensionAuthenticatorOutput> data = new AuthenticatorData<>(sha256(rpId),
                flags(true), counter, attested);
        byte[] attestation = new AttestationObjectConverter(converter).convertToBytes(
                new AttestationObject(data, new NoneAttestationStatement()));
        return new PasskeyRegistration(challenge, b64(clientData), b64(attestation), List.of("internal"), name);
    }

    /** Signs the next assertion: the counter moves on first (unless the caller set it). */
    PasskeyAssertion sign(RequestOptions options) {
        counter = counter == 0 ? 0 : counter + 1;
        return signWithCounter(options.challenge(), options.rpId(), counter);
    }

    PasskeyAssertion signWithCounter(String challenge, String rpId, long count) {
        byte[] clientData = clientData("webauthn.get", challenge);
        byte[] authData = new AuthenticatorDataConverter(converter).convert(
                new AuthenticatorData<>(sha256(rpId), flags(false), count));
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(keys.getPrivate());
            s.update(authData);
            s.update(sha256Bytes(clientData));
            return new PasskeyAssertion(challenge, id(), b64(clientData), b64(authData), b64(s.sign()),
                    userHandle == null ? null : b64(userHandle));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private byte flags(boolean attested) {
        int f = AuthenticatorData.BIT_UP | AuthenticatorData.BIT_BE | AuthenticatorData.BIT_BS;
        if (userVerified) {
            f |= AuthenticatorData.BIT_UV;
        }
        if (attested) {
            f |= AuthenticatorData.BIT_AT;
        }
        return (byte) f;
    }

    private byte[] clientData(String type, String challenge) {
        return ("{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin
                + "\",\"crossOrigin\":false}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] sha256(String text) {
        return sha256Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] sha256Bytes(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
