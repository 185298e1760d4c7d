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
import dev.portcullis.model.SecondFactor;
import dev.portcullis.model.SessionToken;
import dev.portcullis.policy.RoleGrants;
import dev.portcullis.policy.SecondFactorPolicy;
import dev.portcullis.session.LoginResult;
import dev.portcullis.session.SecondFactorResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An OpenID Connect sign-in is a first factor (issues 14 and 16): for an account with an enrolled
 * local second factor it continues at the code step — the same pending sign-in as after a right
 * password — unless the provider is trusted for the second factor (acr/amr).
 */
class FederatedSecondFactorTest {

    static final String PASSWORD = "correct-horse-battery-staple-42";
    static final String ADDRESS = "203.0.113.9";

    final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T08:00:00Z"));
    final Portcullis auth = portcullis(SecondFactorPolicy.defaults());

    Portcullis portcullis(SecondFactorPolicy policy) {
        return Portcullis.builder()
                .stores(InMemoryStores.create().withSecondFactors(new InMemorySecondFactorStore(), new InMemoryPendingSignInStore()))
                .secondFactorKey(new byte[32])
                .secondFactorPolicy(policy)
                .identityStore(new InMemoryIdentityStore())
                .passwordHasher(new FastHasher())
                .clock(clock)
                .build();
    }

    static VerifiedIdentity identity(boolean trustedForSecondFactor) {
        return new VerifiedIdentity("https://idp.example.com", "sub-1", "Example IdP", Optional.of("fed@example.com"),
                true, Set.of(), trustedForSecondFactor, List.of("pwd"));
    }

    /** Registers, links the identity and enrols an authenticator app; answers the TOTP secret. */
    byte[] enrolledAndLinked() {
        auth.accounts().register(new Registration("fed@example.com", RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), ADDRESS);
        SessionToken session = ((LoginResult.Success) auth.sessions().login(
                new Credentials("fed@example.com", RawPassword.of(PASSWORD)), ADDRESS)).session();
        assertThat(auth.identities().link(session, identity(false), ADDRESS)).isInstanceOf(LinkResult.Linked.class);
        assertThat(auth.identities().signIn(identity(false), ADDRESS))
                .as("before enrolment the identity signs in").isInstanceOf(FederatedSignInResult.SignedIn.class);
        String secret = ((EnrolmentStartResult.Started) auth.secondFactors().startEnrolment(session, ADDRESS)).setup().secret();
        byte[] key = Base32.decode(secret);
        assertThat(auth.secondFactors().confirmEnrolment(session, Totp.code(key, Totp.step(clock.instant())), ADDRESS))
                .isInstanceOf(EnrolmentResult.Enrolled.class);
        clock.advance(Duration.ofSeconds(30)); // the enrolment's code is spent: the next one is another step's
        return key;
    }

    @Test
    void anEnrolledAccountContinuesAtTheCodeStepAndTheCodeFinishesTheSignIn() {
        byte[] key = enrolledAndLinked();

        FederatedSignInResult result = auth.identities().signIn(identity(false), ADDRESS);

        assertThat(result).isInstanceOf(FederatedSignInResult.SecondFactorRequired.class);
        FederatedSignInResult.SecondFactorRequired pending = (FederatedSignInResult.SecondFactorRequired) result;
        assertThat(pending.factors()).containsExactlyInAnyOrder(SecondFactor.AUTHENTICATOR_APP, SecondFactor.RECOVERY_CODE);
        assertThat(pending.toString()).doesNotContain(pending.handle());
        assertThat(auth.sessions().completeSignIn(pending.handle(), "000000".equals(Totp.code(key, Totp.step(clock.instant())))
                        ? "111111" : "000000", ADDRESS, Optional.empty()))
                .as("a wrong code does not finish it").isInstanceOf(SecondFactorResult.WrongCode.class);

        SecondFactorResult done = auth.sessions().completeSignIn(pending.handle(), Totp.code(key, Totp.step(clock.instant())),
                ADDRESS, Optional.empty());

        assertThat(done).isInstanceOf(SecondFactorResult.Success.class);
        SecondFactorResult.Success ok = (SecondFactorResult.Success) done;
        assertThat(ok.user().email().canonical()).isEqualTo("fed@example.com");
        assertThat(auth.sessions().currentUser(ok.session())).isPresent();
        assertThat(auth.sessions().completeSignIn(pending.handle(), Totp.code(key, Totp.step(clock.instant().plusSeconds(30))),
                ADDRESS, Optional.empty())).as("the handle is single use").isInstanceOf(SecondFactorResult.InvalidHandle.class);
    }

    @Test
    void aProviderTrustedForTheSecondFactorCompletesTheSignIn() {
        enrolledAndLinked();

        assertThat(auth.identities().signIn(identity(true), ADDRESS)).isInstanceOf(FederatedSignInResult.SignedIn.class);
    }

    @Test
    void thePendingFederatedSignInExpiresLikeAPasswordOne() {
        byte[] key = enrolledAndLinked();
        String handle = ((FederatedSignInResult.SecondFactorRequired) auth.identities().signIn(identity(false), ADDRESS)).handle();

        clock.advance(Duration.ofMinutes(5));

        assertThat(auth.sessions().completeSignIn(handle, Totp.code(key, Totp.step(clock.instant())), ADDRESS, Optional.empty()))
                .isInstanceOf(SecondFactorResult.InvalidHandle.class);
    }

    @Test
    void whenThePolicyRequiresAFactorTheAccountHasNotThenOnlyEnrolmentIsOffered() {
        Portcullis strict = Portcullis.builder()
                .stores(InMemoryStores.create().withSecondFactors(new InMemorySecondFactorStore(), new InMemoryPendingSignInStore()))
                .secondFactorKey(new byte[32])
                .secondFactorPolicy(SecondFactorPolicy.builder().requiredForRoles(Set.of("admin")).build())
                .roleGrants(RoleGrants.none().with("admin", List.of("boss@corp.example")))
                .passwordHasher(new FastHasher())
                .clock(clock)
                .build();
        VerifiedIdentity admin = new VerifiedIdentity("https://idp.corp.example", "sub-2", "Corp IdP",
                Optional.of("boss@corp.example"), true, Set.of("corp.example"), false, List.of("pwd"));

        FederatedSignInResult result = strict.identities().signIn(admin, ADDRESS);

        assertThat(result).as("the roles need a factor; the provider's sign-in does not skip enrolment")
                .isInstanceOf(FederatedSignInResult.EnrolmentRequired.class);
        assertThat(strict.identities().signIn(new VerifiedIdentity("https://idp.corp.example", "sub-2", "Corp IdP",
                Optional.of("boss@corp.example"), true, Set.of("corp.example"), true, List.of("mfa")), ADDRESS))
                .as("unless the provider is trusted for it").isInstanceOf(FederatedSignInResult.SignedIn.class);
    }
}
