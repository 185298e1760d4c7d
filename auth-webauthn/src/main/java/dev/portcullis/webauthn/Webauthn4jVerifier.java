package dev.portcullis.webauthn;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.exception.DataConversionException;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.RegistrationRequest;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.VerificationException;
import dev.portcullis.spi.StoredPasskey;
import dev.portcullis.spi.WebAuthnVerifier;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link WebAuthnVerifier} on webauthn4j: parses and checks client data (type, challenge, origin),
 * authenticator data (RP ID hash, user presence and, when required, verification), the attestation
 * format (attestation {@code none} is what the options ask for; statements are not checked against
 * trust anchors) and assertion signatures with the stored COSE key. The signature counter is left to
 * the core: the stored record is given to webauthn4j with counter 0, so webauthn4j never judges it
 * and the core compares the returned counter with the stored one. Thread-safe and stateless.
 */
public final class Webauthn4jVerifier implements WebAuthnVerifier {

    private static final System.Logger LOG = System.getLogger(Webauthn4jVerifier.class.getName());

    private static final List<PublicKeyCredentialParameters> ALGORITHMS = List.of(
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.EdDSA),
            new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256));

    private final ObjectConverter converter = new ObjectConverter();
    private final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager(converter);

    @Override
    public RegistrationCheck verifyRegistration(Registration response, Expectations expected) {
        try {
            RegistrationRequest request = new RegistrationRequest(response.attestationObject(),
                    response.clientDataJson(), response.transports());
            RegistrationData data = manager.verify(request, new RegistrationParameters(server(expected), ALGORITHMS,
                    expected.userVerificationRequired(), true));
            AuthenticatorData<?> auth = data.getAttestationObject().getAuthenticatorData();
            AttestedCredentialData credential = auth.getAttestedCredentialData();
            if (credential == null) {
                return new RegistrationCheck.Refused("no attested credential data");
            }
            byte[] key = converter.getCborConverter().writeValueAsBytes(credential.getCOSEKey());
            AAGUID aaguid = credential.getAaguid();
            return new RegistrationCheck.Verified(credential.getCredentialId(), key, auth.getSignCount(),
                    aaguid == null || aaguid.getValue() == null ? AAGUID.ZERO.getValue().toString()
                            : aaguid.getValue().toString(),
                    auth.isFlagUV(), auth.isFlagBE(), auth.isFlagBS());
        } catch (VerificationException | DataConversionException | IllegalArgumentException e) {
            return new RegistrationCheck.Refused(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // Malformed CBOR and the like surface as other runtime exceptions of the parser: they
            // are bad input, not faults of ours.
            LOG.log(System.Logger.Level.DEBUG, "registration response did not parse", e);
            return new RegistrationCheck.Refused("unparseable: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public AssertionCheck verifyAssertion(Assertion response, StoredPasskey credential, Expectations expected) {
        try {
            COSEKey key = converter.getCborConverter().readValue(credential.publicKey(), COSEKey.class);
            AttestedCredentialData attested = new AttestedCredentialData(
                    new AAGUID(java.util.UUID.fromString(credential.aaguid())),
                    java.util.Base64.getUrlDecoder().decode(credential.credentialId()), key);
            Set<AuthenticatorTransport> transports = credential.transports().stream()
                    .map(AuthenticatorTransport::create).collect(Collectors.toSet());
            // Counter 0: webauthn4j then accepts any counter, and the core compares it with the stored one.
            CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(), null,
                    credential.backupEligible(), credential.backedUp(), 0, attested, null, null, null, transports);
            AuthenticationRequest request = new AuthenticationRequest(response.credentialId(), response.userHandle(),
                    response.authenticatorData(), response.clientDataJson(), null, response.signature());
            AuthenticationData data = manager.verify(request, new AuthenticationParameters(server(expected), record,
                    List.of(attested.getCredentialId()), expected.userVerificationRequired(), true));
            AuthenticatorData<?> auth = data.getAuthenticatorData();
            return new AssertionCheck.Verified(auth.getSignCount(), auth.isFlagUV(), auth.isFlagBS());
        } catch (VerificationException | DataConversionException | IllegalArgumentException e) {
            return new AssertionCheck.Refused(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "assertion did not parse", e);
            return new AssertionCheck.Refused("unparseable: " + e.getClass().getSimpleName());
        }
    }

    private static ServerProperty server(Expectations expected) {
        Set<Origin> origins = expected.origins().stream().map(Origin::new).collect(Collectors.toSet());
        return ServerProperty.builder().origins(origins).rpId(expected.rpId())
                .challenge(new DefaultChallenge(expected.challenge())).build();
    }
}
