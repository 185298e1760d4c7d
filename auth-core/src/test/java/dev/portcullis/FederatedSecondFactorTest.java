package dev.portcullis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.account.Registration;
import dev.portcullis.identity.FederatedSignInResult;
import dev.portcullis.identity.LinkResult;
import dev.portcullis.identity.VerifiedIdentity;
import dev.portcullis.internal.Base32;
import dev.portcullis.internal.Totp;
import dev.portcullis.memory.InMemoryIdentityStore;
import dev.portcullis.memory.InMemoryPendingSignInStore;
import dev.portcullis.memory.InMemorySecondFactorStore;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.mfa.EnrolmentResult;
import dev.portcullis.mfa.EnrolmentStartResult;
import dev.portcullis.model.Credentials;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.SessionToken;
import dev.portcullis.session.LoginResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An OpenID Connect sign-in never skips an enrolled local second factor (issues 14 and 16). */
class FederatedSecondFactorTest {

    static final String PASSWORD = "correct-horse-battery-staple-42";
    static final String ADDRESS = "203.0.113.9";

    final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T08:00:00Z"));
    final Portcullis auth = Portcullis.builder()
            .stores(InMemoryStores.create().withSecondFactors(new InMemorySecondFactorStore(), new InMemoryPendingSignInStore()))
            .secondFactorKey(new byte[32])
            .identityStore(new InMemoryIdentityStore())
            .passwordHasher(new FastHasher())
            .clock(clock)
            .build();

    static VerifiedIdentity identity(boolean trustedForSecondFactor) {
        return new VerifiedIdentity("https://idp.example.com", "sub-1", "Example IdP", Optional.of("fed@example.com"),
                true, Set.of(), trustedForSecondFactor, List.of("pwd"));
    }

    @Test
    void anEnrolledAccountLinkedToAProviderIsRefusedUnlessTheProviderIsTrustedForTheSecondFactor() {
        auth.accounts().register(new Registration("fed@example.com", RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), ADDRESS);
        SessionToken session = ((LoginResult.Success) auth.sessions().login(
                new Credentials("fed@example.com", RawPassword.of(PASSWORD)), ADDRESS)).session();
        assertThat(auth.identities().link(session, identity(false), ADDRESS)).isInstanceOf(LinkResult.Linked.class);
        assertThat(auth.identities().signIn(identity(false), ADDRESS))
                .as("before enrolment the identity signs in").isInstanceOf(FederatedSignInResult.SignedIn.class);

        String secret = ((EnrolmentStartResult.Started) auth.secondFactors().startEnrolment(session, ADDRESS)).setup().secret();
        String code = Totp.code(Base32.decode(secret), Totp.step(clock.instant()));
        assertThat(auth.secondFactors().confirmEnrolment(session, code, ADDRESS)).isInstanceOf(EnrolmentResult.Enrolled.class);

        FederatedSignInResult refused = auth.identities().signIn(identity(false), ADDRESS);
        assertThat(refused).isEqualTo(new FederatedSignInResult.Refused(FederatedSignInResult.Reason.SECOND_FACTOR_REQUIRED));
        assertThat(auth.identities().signIn(identity(true), ADDRESS))
                .as("a provider trusted for the second factor (acr/amr) signs in").isInstanceOf(FederatedSignInResult.SignedIn.class);
    }
}
