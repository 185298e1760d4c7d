package dev.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.Portcullis;
import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.EmailVerificationResult;
import dev.portcullis.account.MailSettings;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.RawPassword;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.spi.AccountMail;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code requireVerifiedEmail} holds for accounts an identity created, as for registered ones: a
 * provider's verified address counts only when the provider is authoritative for its domain;
 * otherwise the account gets the usual verification mail and signs in once it is followed.
 */
class IdentityEmailVerificationTest {

    private static final String ISSUER = "https://idp.example.com";
    private static final String ADDRESS = "203.0.113.7";
    private static final String PASSWORD = "violet tractor umbrella seventeen";

    final List<AccountMail> mails = new CopyOnWriteArrayList<>();

    Portcullis portcullis(boolean requireVerifiedEmail) {
        // The full in-memory set includes the identity store: no identityStore(..) call needed.
        return Portcullis.builder().stores(InMemoryStores.create())
                .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
                .mail(MailSettings.of(mails::add, AccountLinks.of(URI.create("https://app.example.com"))).withExecutor(Runnable::run))
                .requireVerifiedEmail(requireVerifiedEmail).build();
    }

    static VerifiedIdentity identity(String subject, String email, String... authoritative) {
        return new VerifiedIdentity(ISSUER, subject, "Example IdP", Optional.of(email), true, Set.of(authoritative),
                false, List.of("pwd"));
    }

    String verificationToken(String to) {
        return mails.stream().filter(m -> m instanceof AccountMail.VerifyEmail v && v.to().canonical().equals(to))
                .map(m -> ((AccountMail.VerifyEmail) m).link().getQuery().substring("token=".length()))
                .reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void whenVerificationIsRequiredANewAccountOfANonAuthoritativeProviderWaitsForTheMailedLink() {
        Portcullis auth = portcullis(true);

        FederatedSignInResult first = auth.identities().signIn(identity("s1", "ada@example.org"), ADDRESS);

        assertThat(first).isEqualTo(new FederatedSignInResult.Refused(FederatedSignInResult.Reason.EMAIL_NOT_VERIFIED));
        assertThat(auth.identities().signIn(identity("s1", "ada@example.org"), ADDRESS))
                .as("the account exists and stays locked until verified")
                .isEqualTo(new FederatedSignInResult.Refused(FederatedSignInResult.Reason.EMAIL_NOT_VERIFIED));
        assertThat(auth.accounts().verifyEmail(verificationToken("ada@example.org")))
                .isInstanceOf(EmailVerificationResult.Verified.class);

        FederatedSignInResult afterLink = auth.identities().signIn(identity("s1", "ada@example.org"), ADDRESS);

        assertThat(afterLink).isInstanceOf(FederatedSignInResult.SignedIn.class);
        assertThat(((FederatedSignInResult.SignedIn) afterLink).user().emailVerified()).isTrue();
    }

    @Test
    void whenVerificationIsRequiredAnAuthoritativeProvidersVerifiedAddressSignsInAtOnce() {
        Portcullis auth = portcullis(true);

        FederatedSignInResult result = auth.identities().signIn(identity("s1", "ada@corp.example", "corp.example"), ADDRESS);

        assertThat(result).isInstanceOf(FederatedSignInResult.SignedIn.class);
        assertThat(((FederatedSignInResult.SignedIn) result).user().emailVerified()).isTrue();
        assertThat(mails).noneMatch(m -> m instanceof AccountMail.VerifyEmail);
    }

    @Test
    void withoutTheRequirementANewUnverifiedAccountSignsInAndIsMailedTheVerificationLinkAsAfterARegistration() {
        Portcullis auth = portcullis(false);

        FederatedSignInResult result = auth.identities().signIn(identity("s1", "ada@example.org"), ADDRESS);

        assertThat(result).isInstanceOf(FederatedSignInResult.SignedIn.class);
        assertThat(((FederatedSignInResult.SignedIn) result).user().emailVerified()).isFalse();
        assertThat(mails).filteredOn(m -> m instanceof AccountMail.VerifyEmail).singleElement()
                .satisfies(m -> assertThat(((AccountMail.VerifyEmail) m).to()).isEqualTo(EmailAddress.parse("ada@example.org").orElseThrow()));
    }

    @Test
    void aLinkedAuthoritativeIdentityVerifiesItsAccountsSameAddressWhenItSignsIn() {
        Portcullis auth = portcullis(true);
        RegistrationResult.Registered registered = (RegistrationResult.Registered) auth.accounts().register(
                new Registration("ada@corp.example", RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), ADDRESS);
        assertThat(auth.identities().link(registered.session(), identity("s1", "ada@corp.example"), ADDRESS))
                .isInstanceOf(LinkResult.Linked.class);
        assertThat(auth.identities().signIn(identity("s1", "ada@corp.example"), ADDRESS))
                .as("not authoritative: the address is still unproved")
                .isEqualTo(new FederatedSignInResult.Refused(FederatedSignInResult.Reason.EMAIL_NOT_VERIFIED));

        FederatedSignInResult result = auth.identities().signIn(identity("s1", "ada@corp.example", "corp.example"), ADDRESS);

        assertThat(result).isInstanceOf(FederatedSignInResult.SignedIn.class);
        assertThat(((FederatedSignInResult.SignedIn) result).user().emailVerified()).isTrue();
    }
}
