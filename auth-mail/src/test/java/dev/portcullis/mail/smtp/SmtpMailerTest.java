package dev.portcullis.mail.smtp;

import dev.portcullis.Portcullis;
import dev.portcullis.Stores;
import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.EmailVerificationResult;
import dev.portcullis.account.MailSettings;
import dev.portcullis.account.Registration;
import dev.portcullis.account.RegistrationResult;
import dev.portcullis.policy.LinkLifetimes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.portcullis.memory.InMemoryAttemptStore;
import dev.portcullis.memory.InMemoryOneTimeTokenStore;
import dev.portcullis.memory.InMemorySessionStore;
import dev.portcullis.memory.InMemoryUserStore;
import dev.portcullis.model.EmailAddress;
import dev.portcullis.model.RawPassword;
import dev.portcullis.password.DelegatingPasswordHasher;
import dev.portcullis.spi.AccountMail;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Real SMTP: an in-process GreenMail server receives what the mailer sends. */
class SmtpMailerTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    SmtpMailer mailer(MailTemplates templates) {
        return new SmtpMailer(SmtpSettings.plain("127.0.0.1", SMTP.getSmtp().getPort(), "Acme <no-reply@acme.example>"), templates);
    }

    static String part(MimeMessage message, String type) throws Exception {
        MimeMultipart multipart = (MimeMultipart) message.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.isMimeType(type)) {
                return (String) part.getContent();
            }
        }
        throw new AssertionError("no " + type + " part");
    }

    @Test
    void sendsTextAndHtmlAlternativesWithTheLink() throws Exception {
        URI link = URI.create("https://app.example.com/reset-password?token=abc");
        mailer(MailTemplates.builtIn("Acme")).send(new AccountMail.PasswordReset(EmailAddress.of("Ada@Example.com"), link, Duration.ofMinutes(30)));

        MimeMessage message = SMTP.getReceivedMessages()[0];
        assertThat(message.getSubject()).isEqualTo("Acme: Reset your password");
        assertThat(message.getAllRecipients()[0].toString()).isEqualTo("Ada@Example.com");
        assertThat(message.getFrom()[0].toString()).isEqualTo("Acme <no-reply@acme.example>");
        assertThat(part(message, "text/plain")).contains(link.toString(), "30 minutes");
        // Mustache escapes '=' as an entity; browsers decode it back inside the attribute.
        assertThat(part(message, "text/html")).contains("href=\"https://app.example.com/reset-password?token&#61;abc\"")
                .contains("30 minutes");
    }

    @Test
    void htmlPartEscapesValuesTextPartDoesNot() throws Exception {
        mailer(MailTemplates.builtIn("Tom & Jerry")).send(new AccountMail.EmailChanged(EmailAddress.of("old@example.com"),
                EmailAddress.of("a&b@example.com")));

        MimeMessage message = SMTP.getReceivedMessages()[0];
        assertThat(part(message, "text/html")).contains("a&amp;b@example.com", "Tom &amp; Jerry").doesNotContain("a&b@");
        assertThat(part(message, "text/plain")).contains("a&b@example.com");
    }

    @Test
    void everyKindOfMailHasBuiltInTemplates() throws Exception {
        EmailAddress to = EmailAddress.of("ada@example.com");
        URI link = URI.create("https://app.example.com/x?token=abc");
        SmtpMailer mailer = mailer(MailTemplates.builtIn("Acme"));
        java.util.List<AccountMail> all = java.util.List.of(new AccountMail.VerifyEmail(to, link, Duration.ofHours(48)),
                new AccountMail.RegistrationAttempted(to, link, link), new AccountMail.PasswordReset(to, link, Duration.ofMinutes(30)),
                new AccountMail.PasswordChanged(to), new AccountMail.ConfirmEmailChange(to, link, Duration.ofHours(24)),
                new AccountMail.EmailChangeRequested(to, EmailAddress.of("new@example.com")),
                new AccountMail.EmailChanged(to, EmailAddress.of("new@example.com")), new AccountMail.RememberMeTheft(to),
                new AccountMail.SignInThrottled(to), new AccountMail.SecondFactorAdded(to),
                new AccountMail.SecondFactorRemoved(to), new AccountMail.RecoveryCodeUsed(to, 1),
                new AccountMail.PasskeyAdded(to, "Laptop"), new AccountMail.PasskeyRemoved(to, "Laptop"),
                new AccountMail.PasskeyCloneSuspected(to, "Laptop"));
        for (AccountMail mail : all) {
            mailer.send(mail);
        }

        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(all.size());
        assertThat(received).extracting(MimeMessage::getSubject).doesNotHaveDuplicates();
        assertThat(part(received[7], "text/plain")).contains("signed out every session");
        assertThat(part(received[7], "text/html")).contains("forgot every remembered browser");
        assertThat(received[8].getSubject()).isEqualTo("Acme: Someone is trying to sign in to your account");
        assertThat(part(received[8], "text/plain")).contains("browser you signed in with before");
        assertThat(part(received[8], "text/html")).contains("This message was sent to ada@example.com by Acme.");
        assertThat(received[9].getSubject()).contains("Two-factor sign-in is on", "authenticator app");
        assertThat(part(received[9], "text/html")).contains("authenticator app was added");
        assertThat(received[10].getSubject()).contains("Two-factor sign-in is off", "authenticator app");
        assertThat(part(received[10], "text/plain")).contains("recovery codes are void");
        assertThat(received[11].getSubject()).contains("recovery code");
        assertThat(part(received[11], "text/plain")).contains("recovery codes was just used", "1 is left");
        assertThat(part(received[11], "text/html")).contains("1 is left");
        assertThat(received[12].getSubject()).isEqualTo("Acme: A passkey was added to your account");
        assertThat(part(received[12], "text/plain")).contains("\"Laptop\" was added");
        assertThat(part(received[13], "text/html")).contains("&ldquo;Laptop&rdquo; was removed");
        assertThat(part(received[14], "text/plain")).contains("signature counter did not increase");
    }

    @Test
    void templatesCanBeOverriddenFileByFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("password-changed.txt.mustache"), "Custom notice for {{to}}.");
        mailer(MailTemplates.overriddenBy(dir, "Acme")).send(new AccountMail.PasswordChanged(EmailAddress.of("ada@example.com")));

        MimeMessage message = SMTP.getReceivedMessages()[0];
        assertThat(part(message, "text/plain")).isEqualTo("Custom notice for ada@example.com.");
        assertThat(part(message, "text/html")).contains("every session was logged out");
    }

    @Test
    void unreachableServerFailsFastWithAClearFault() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        SmtpMailer dead = new SmtpMailer(SmtpSettings.plain("127.0.0.1", deadPort, "no-reply@acme.example"), MailTemplates.builtIn("Acme"));

        assertThatThrownBy(() -> dead.send(new AccountMail.PasswordChanged(EmailAddress.of("ada@example.com"))))
                .isInstanceOf(MailDeliveryException.class)
                .hasMessageContaining("127.0.0.1:" + deadPort);
    }

    @Test
    void settingsNeverPrintThePassword() {
        assertThat(SmtpSettings.plain("smtp.example.com", 587, "a@example.com").withCredentials("user", "hunter2").toString())
                .doesNotContain("hunter2");
    }

    @Test
    void registrationMailCarriesAWorkingVerificationLink() throws Exception {
        InMemoryUserStore users = new InMemoryUserStore();
        try (Portcullis auth = Portcullis.builder().stores(Stores.of(users, new InMemorySessionStore(), new InMemoryAttemptStore()).withOneTimeTokens(new InMemoryOneTimeTokenStore()))
                .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
                .mail(MailSettings.of(mailer(MailTemplates.builtIn("Acme")), AccountLinks.of(URI.create("https://app.example.com"))).withExecutor(Runnable::run)).build()) {
            String password = "violet tractor umbrella seventeen";
            RegistrationResult.Registered r = (RegistrationResult.Registered) auth.accounts().register(
                    new Registration("grace@example.com", RawPassword.of(password), RawPassword.of(password)), "");

            String body = part(SMTP.getReceivedMessages()[0], "text/plain");
            Matcher m = Pattern.compile("https://app\\.example\\.com/verify-email\\?token=([A-Za-z0-9_-]{43})").matcher(body);
            assertThat(m.find()).isTrue();
            assertThat(auth.accounts().verifyEmail(m.group(1))).isEqualTo(new EmailVerificationResult.Verified(r.userId()));
        }
    }
}
