package dev.portcullis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.ChangePasswordResult;
import dev.portcullis.account.MailSettings;
import dev.portcullis.account.PasswordChange;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.model.RawPassword;
import dev.portcullis.spi.AccountMail;
import dev.portcullis.identity.FederatedSignInResult;
import dev.portcullis.identity.Identities;
import dev.portcullis.identity.LinkByMailResult;
import dev.portcullis.identity.VerifiedIdentity;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The mailed proof of ownership ({@link Identities#requestLinkByMail}): the link links only in the
 * browser that asked, once, unexpired, for the account state it was issued under.
 */
class LinkByMailTest {

    static final String ADDRESS = "203.0.113.8";
    static final String PASSWORD = "violet tractor umbrella seventeen";
    static final URI CONFIRM = URI.create("https://app.example.com/auth/oidc/idp/confirm-link");

    final MutableClock clock = new MutableClock(Instant.parse("2026-04-01T09:00:00Z"));
    final List<AccountMail> mails = new CopyOnWriteArrayList<>();
    final Portcullis auth = Portcullis.builder().stores(InMemoryStores.create())
            .passwordHasher(new FastHasher()).clock(clock)
            .mail(MailSettings.of(mails::add, AccountLinks.of(URI.create("https://app.example.com"))).withExecutor(Runnable::run))
            .build();
    final RegistrationResult.Registered owner = (RegistrationResult.Registered) auth.accounts().register(
            new Registration("ada@example.org", RawPassword.of(PASSWORD), RawPassword.of(PASSWORD)), ADDRESS);

    static VerifiedIdentity identity(String subject) {
        return new VerifiedIdentity("https://idp.example.com", subject, "Example IdP", Optional.of("ada@example.org"),
                true, Set.of(), false, List.of());
    }

    String mailedToken() {
        AccountMail.ConfirmIdentityLink mail = mails.stream().filter(m -> m instanceof AccountMail.ConfirmIdentityLink)
                .map(m -> (AccountMail.ConfirmIdentityLink) m).reduce((a, b) -> b).orElseThrow();
        assertThat(mail.link().toString()).startsWith(CONFIRM + "?token=");
        assertThat(mail.toString()).doesNotContain(mail.link().getQuery());
        return mail.link().getQuery().substring("token=".length());
    }

    LinkByMailResult.Sent requested(String subject) {
        assertThat(auth.identities().signIn(identity(subject), ADDRESS)).isInstanceOf(FederatedSignInResult.LinkRequired.class);
        LinkByMailResult result = auth.identities().requestLinkByMail(identity(subject), CONFIRM, ADDRESS);
        assertThat(result).isInstanceOf(LinkByMailResult.Sent.class);
        return (LinkByMailResult.Sent) result;
    }

    @Test
    void theLinkFollowedInTheBrowserThatAskedLinksSignsInAndMailsTheOwner() {
        LinkByMailResult.Sent sent = requested("s1");
        String token = mailedToken();

        FederatedSignInResult result = auth.identities().confirmLinkByMail(token, sent.browserSecret(), ADDRESS);

        assertThat(result).isInstanceOf(FederatedSignInResult.SignedIn.class);
        FederatedSignInResult.SignedIn in = (FederatedSignInResult.SignedIn) result;
        assertThat(in.user().id()).isEqualTo(owner.user().id());
        assertThat(in.linked()).isTrue();
        assertThat(in.user().emailVerified()).as("the mailbox was proved").isTrue();
        assertThat(mails).contains(new AccountMail.IdentityLinked(owner.user().email(), "Example IdP"));
        assertThat(auth.identities().signIn(identity("s1"), ADDRESS)).as("from now on it signs in")
                .isInstanceOf(FederatedSignInResult.SignedIn.class);
        assertThat(auth.identities().confirmLinkByMail(token, sent.browserSecret(), ADDRESS)).as("once")
                .isEqualTo(new FederatedSignInResult.Refused(FederatedSignInResult.Reason.LINK_INVALID));
    }

    @Test
    void theLinkOpenedInAnotherBrowserLinksNothingAndStaysUsableInTheRightOne() {
        LinkByMailResult.Sent sent = requested("attacker-sub");
        String token = mailedToken();

        // The mailbox's owner clicks a link someone else asked for: their browser has no (or another) secret.
        assertThat(auth.identities().confirmLinkByMail(token, "", ADDRESS))
                .isEqualTo(new FederatedSignInResult.Refused(FederatedSignInResult.Reason.LINK_INVALID));
        assertThat(auth.identities().confirmLinkByMail(token, "some-other-browser-secret-value", ADDRESS))
                .isEqualTo(new FederatedSignInResult.Refused(FederatedSignInResult.Reason.LINK_INVALID));
        assertThat(auth.identities().linked(owner.user().id())).isEmpty();

        assertThat(auth.identities().confirmLinkByMail(token, sent.browserSecret(), ADDRESS))
                .isInstanceOf(FederatedSignInResult.SignedIn.class);
    }

    @Test
    void aLinkIssuedBeforeAPasswordChangeOrExpiredIsRefused() {
        LinkByMailResult.Sent first = requested("s1");
        String beforeChange = mailedToken();
        String next = "quiet orange bicycle harbour";
        assertThat(auth.accounts().changePassword(owner.session(), new PasswordChange(RawPassword.of(PASSWORD),
                RawPassword.of(next), RawPassword.of(next)), ADDRESS)).isInstanceOf(ChangePasswordResult.Changed.class);

        assertThat(auth.identities().confirmLinkByMail(beforeChange, first.browserSecret(), ADDRESS))
                .isEqualTo(new FederatedSignInResult.Refused(FederatedSignInResult.Reason.LINK_INVALID));

        clock.advance(Duration.ofMinutes(2)); // past the one-mail-a-minute cooldown
        LinkByMailResult.Sent second = requested("s1");
        String expired = mailedToken();
        clock.advance(Duration.ofMinutes(31));
        assertThat(auth.identities().confirmLinkByMail(expired, second.browserSecret(), ADDRESS))
                .isEqualTo(new FederatedSignInResult.Refused(FederatedSignInResult.Reason.LINK_INVALID));
        assertThat(auth.identities().linked(owner.user().id())).isEmpty();
    }

    @Test
    void nothingIsMailedForALinkedIdentityOrAnUnknownAddressAndAtMostOneMailPerMinute() {
        VerifiedIdentity stranger = new VerifiedIdentity("https://idp.example.com", "s9", "Example IdP",
                Optional.of("nobody@example.org"), true, Set.of(), false, List.of());
        assertThat(auth.identities().requestLinkByMail(stranger, CONFIRM, ADDRESS)).isInstanceOf(LinkByMailResult.Unavailable.class);

        requested("s1");
        assertThat(auth.identities().requestLinkByMail(identity("s1"), CONFIRM, ADDRESS))
                .isInstanceOf(LinkByMailResult.Throttled.class);
        assertThat(mails).filteredOn(m -> m instanceof AccountMail.ConfirmIdentityLink).hasSize(1);
    }
}
