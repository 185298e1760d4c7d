package dev.portcullis.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.Portcullis;
import dev.portcullis.Stores;
import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.MailSettings;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemoryIdentityStore;
import dev.portcullis.memory.InMemoryOneTimeTokenStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.model.CurrentUser;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.RawPassword;
import dev.portcullis.model.SessionToken;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.StoredUser;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The linking rules of {@link Identities}, over the in-memory stores. */
class IdentitiesTest {

    private static final String ISSUER = "https://idp.example.com";
    private static final String PASSWORD = "violet tractor umbrella seventeen";

    java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2026-04-01T09:00:00Z"), java.time.ZoneOffset.UTC);
    InMemoryUserStore users = new InMemoryUserStore();
    InMemoryIdentityStore identities = new InMemoryIdentityStore();
    List<AccountMail> mails = new CopyOnWriteArrayList<>();
    Portcullis auth = Portcullis.builder()
            .stores(Stores.of(users, new InMemorySessionStore(), new InMemoryAttemptStore())
                    .withOneTimeTokens(new InMemoryOneTimeTokenStore()))
            .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade()).clock(clock)
            .mail(MailSettings.of(mails::add, AccountLinks.of(URI.create("https://app.example.com"))).withExecutor(Runnable::run))
            .identityStore(identities).build();

    static VerifiedIdentity identity(String subject, String email, boolean verified, String... authoritative) {
        return new VerifiedIdentity(ISSUER, subject, "Example IdP", Optional.ofNullable(email), verified,
                Set.of(authoritative), false, List.of("pwd"));
    }

    CurrentUser registerWithPassword(String email) {
        RegistrationResult r = auth.accounts().register(
                new Registration(email, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), "203.0.113.5");
        return ((RegistrationResult.Registered) r).user();
    }

    SessionToken signedIn(FederatedSignInResult result) {
        assertThat(result).isInstanceOf(FederatedSignInResult.SignedIn.class);
        return ((FederatedSignInResult.SignedIn) result).session();
    }

    @Test
    void unknownIdentityWithNewAddressCreatesAccountWithUnverifiedAddressAndSignsIn() {
        FederatedSignInResult result = auth.identities().signIn(identity("s1", "ada@example.org", true), "203.0.113.5");

        FederatedSignInResult.SignedIn in = (FederatedSignInResult.SignedIn) result;
        assertThat(in.created()).isTrue();
        assertThat(in.user().emailVerified()).isFalse();
        assertThat(auth.sessions().currentUser(in.session())).map(CurrentUser::id).contains(in.user().id());
        assertThat(auth.identities().hasPassword(in.user().id())).isFalse();
        assertThat(auth.identities().linked(in.user().id())).singleElement()
                .satisfies(r -> assertThat(r.subject()).isEqualTo("s1"));
    }

    @Test
    void addressCountsAsVerifiedOnlyWhenVerifiedAndProviderAuthoritativeForItsDomain() {
        FederatedSignInResult.SignedIn both = (FederatedSignInResult.SignedIn) auth.identities()
                .signIn(identity("s1", "ada@corp.example", true, "corp.example"), "a");
        FederatedSignInResult.SignedIn otherDomain = (FederatedSignInResult.SignedIn) auth.identities()
                .signIn(identity("s2", "bob@gmail.example", true, "corp.example"), "a");
        FederatedSignInResult.SignedIn notVerified = (FederatedSignInResult.SignedIn) auth.identities()
                .signIn(identity("s3", "eve@corp.example", false, "corp.example"), "a");

        assertThat(both.user().emailVerified()).isTrue();
        assertThat(otherDomain.user().emailVerified()).isFalse();
        assertThat(notVerified.user().emailVerified()).isFalse();
    }

    @Test
    void linkedIdentitySignsInToItsAccountWhateverAddressItNowReports() {
        CurrentUser first = ((FederatedSignInResult.SignedIn) auth.identities()
                .signIn(identity("s1", "ada@example.org", true), "a")).user();

        FederatedSignInResult again = auth.identities().signIn(identity("s1", "someone.else@example.org", true), "a");

        FederatedSignInResult.SignedIn in = (FederatedSignInResult.SignedIn) again;
        assertThat(in.created()).isFalse();
        assertThat(in.user().id()).isEqualTo(first.id());
    }

    @Test
    void existingLocalAccountWithTheAddressIsNeverLinkedNorSignedInByAddressAlone() {
        CurrentUser local = registerWithPassword("ada@example.org");
        mails.clear();

        FederatedSignInResult verified = auth.identities().signIn(identity("s1", "ADA@example.org", true), "a");
        FederatedSignInResult unverified = auth.identities().signIn(identity("s2", "ada@example.org", false), "a");

        assertThat(verified).isInstanceOf(FederatedSignInResult.LinkRequired.class);
        assertThat(unverified).isInstanceOf(FederatedSignInResult.LinkRequired.class);
        assertThat(auth.identities().linked(local.id())).isEmpty();
        assertThat(mails).isEmpty();
    }

    @Test
    void authoritativeProviderWithVerifiedAddressLinksTheExistingAccountAndMailsIt() {
        CurrentUser local = registerWithPassword("ada@corp.example");
        mails.clear();

        FederatedSignInResult result = auth.identities().signIn(identity("s1", "ada@corp.example", true, "corp.example"), "a");

        FederatedSignInResult.SignedIn in = (FederatedSignInResult.SignedIn) result;
        assertThat(in.user().id()).isEqualTo(local.id());
        assertThat(in.linked()).isTrue();
        assertThat(in.user().emailVerified()).isTrue();
        assertThat(mails).singleElement().isInstanceOf(AccountMail.IdentityLinked.class);
    }

    @Test
    void sameAddressWithAnotherSubjectAsksForProof() {
        auth.identities().signIn(identity("s1", "ada@example.org", true), "a");

        assertThat(auth.identities().signIn(identity("s2", "ada@example.org", true), "a"))
                .isInstanceOf(FederatedSignInResult.LinkRequired.class);
    }

    @Test
    void noAddressAndNoLinkIsRefused() {
        assertThat(auth.identities().signIn(identity("s1", null, false), "a"))
                .isEqualTo(new FederatedSignInResult.Refused(FederatedSignInResult.Reason.EMAIL_MISSING));
        assertThat(auth.identities().signIn(identity("s1", "not an address", true), "a"))
                .isEqualTo(new FederatedSignInResult.Refused(FederatedSignInResult.Reason.EMAIL_MISSING));
    }

    @Test
    void disabledAccountIsRefused() {
        CurrentUser user = ((FederatedSignInResult.SignedIn) auth.identities()
                .signIn(identity("s1", "ada@example.org", true), "a")).user();
        auth.accounts().disable(user.id(), "a");

        assertThat(auth.identities().signIn(identity("s1", "ada@example.org", true), "a"))
                .isEqualTo(new FederatedSignInResult.Refused(FederatedSignInResult.Reason.ACCOUNT_DISABLED));
    }

    @Test
    void signedInOwnerLinksThenTheIdentitySignsInAndTheOwnerIsMailed() {
        CurrentUser local = registerWithPassword("ada@example.org");
        SessionToken session = auth.sessions().login(
                new dev.portcullis.model.Credentials("ada@example.org", RawPassword.of(PASSWORD)), "a") instanceof
                dev.portcullis.session.LoginResult.Success ok ? ok.session() : null;
        mails.clear();

        LinkResult linked = auth.identities().link(session, identity("s1", "ada@example.org", false), "a");

        assertThat(linked).isInstanceOf(LinkResult.Linked.class);
        assertThat(mails).singleElement().isEqualTo(new AccountMail.IdentityLinked(local.email(), "Example IdP"));
        assertThat(((FederatedSignInResult.SignedIn) auth.identities()
                .signIn(identity("s1", "ada@example.org", false), "a")).user().id()).isEqualTo(local.id());
        assertThat(auth.identities().link(session, identity("s1", "x@example.org", false), "a"))
                .isInstanceOf(LinkResult.AlreadyLinked.class);
    }

    @Test
    void identityOfAnotherAccountIsNotLinked() {
        auth.identities().signIn(identity("s1", "bob@example.org", true), "a");
        SessionToken ada = signedIn(auth.identities().signIn(identity("s2", "ada@example.org", true), "a"));

        assertThat(auth.identities().link(ada, identity("s1", "bob@example.org", true), "a"))
                .isInstanceOf(LinkResult.LinkedToAnotherAccount.class);
    }

    @Test
    void lastWayInCannotBeUnlinkedButOneOfTwoCan() {
        SessionToken session = signedIn(auth.identities().signIn(identity("s1", "ada@example.org", true), "a"));

        assertThat(auth.identities().unlink(session, ISSUER, "s1", "a")).isInstanceOf(UnlinkResult.LastSignInMethod.class);

        auth.identities().link(session, identity("s2", "ada@example.org", true), "a");
        assertThat(auth.identities().unlink(session, ISSUER, "s1", "a")).isInstanceOf(UnlinkResult.Unlinked.class);
        assertThat(auth.identities().unlink(session, ISSUER, "s2", "a")).isInstanceOf(UnlinkResult.LastSignInMethod.class);
        assertThat(auth.identities().unlink(session, ISSUER, "s1", "a")).isInstanceOf(UnlinkResult.NotLinked.class);
    }

    @Test
    void accountWithPasswordMayUnlinkItsOnlyIdentity() {
        registerWithPassword("ada@example.org");
        SessionToken session = ((dev.portcullis.session.LoginResult.Success) auth.sessions().login(
                new dev.portcullis.model.Credentials("ada@example.org", RawPassword.of(PASSWORD)), "a")).session();
        auth.identities().link(session, identity("s1", "ada@example.org", true), "a");

        assertThat(auth.identities().unlink(session, ISSUER, "s1", "a")).isInstanceOf(UnlinkResult.Unlinked.class);
        assertThat(auth.identities().signIn(identity("s1", "ada@example.org", true), "a"))
                .isInstanceOf(FederatedSignInResult.LinkRequired.class);
    }

    @Test
    void accountCreatedByIdentityHasNoUsablePassword() {
        CurrentUser user = ((FederatedSignInResult.SignedIn) auth.identities()
                .signIn(identity("s1", "ada@example.org", true), "a")).user();

        StoredUser stored = users.findByEmail(EmailAddress.of("ada@example.org")).orElseThrow();
        assertThat(stored.id()).isEqualTo(user.id());
        assertThat(auth.sessions().login(new dev.portcullis.model.Credentials("ada@example.org",
                RawPassword.of(Identities.NO_PASSWORD.encoded())), "a"))
                .isInstanceOf(dev.portcullis.session.LoginResult.InvalidCredentials.class);
    }

    @Test
    void accountCreatedByIdentityGetsAPasswordThroughTheResetAndMayThenUnlink() {
        SessionToken session = signedIn(auth.identities().signIn(identity("s1", "ada@example.org", true), "a"));
        mails.clear();

        auth.passwordResets().request("ada@example.org", "a");
        AccountMail.PasswordReset mail = (AccountMail.PasswordReset) mails.stream()
                .filter(AccountMail.PasswordReset.class::isInstance).findFirst().orElseThrow();
        String token = mail.link().getQuery().substring("token=".length());
        assertThat(auth.passwordResets().reset(token, RawPassword.of(PASSWORD), RawPassword.of(PASSWORD), "a"))
                .isInstanceOf(dev.portcullis.account.PasswordResetResult.Reset.class);

        assertThat(auth.sessions().login(new dev.portcullis.model.Credentials("ada@example.org", RawPassword.of(PASSWORD)), "a"))
                .isInstanceOf(dev.portcullis.session.LoginResult.Success.class);
        SessionToken fresh = ((dev.portcullis.session.LoginResult.Success) auth.sessions().login(
                new dev.portcullis.model.Credentials("ada@example.org", RawPassword.of(PASSWORD)), "a")).session();
        assertThat(auth.identities().unlink(fresh, ISSUER, "s1", "a")).isInstanceOf(UnlinkResult.Unlinked.class);
        assertThat(auth.sessions().currentUser(session)).as("the reset ended the old sessions").isEmpty();
    }
}
