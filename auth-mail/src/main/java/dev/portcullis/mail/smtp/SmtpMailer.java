package dev.portcullis.mail.smtp;

import dev.portcullis.spi.AccountMail;
import dev.portcullis.spi.Mailer;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Objects;
import java.util.Properties;

/**
 * Delivers {@link AccountMail} over SMTP with Jakarta Mail (Eclipse Angus) as
 * multipart/alternative (plain text + HTML). Thread-safe. Fails with
 * {@link MailDeliveryException} within the configured timeout when the server is unreachable.
 */
public final class SmtpMailer implements Mailer {

    private final SmtpSettings settings;
    private final MailTemplates templates;
    private final Session session;
    private final InternetAddress from;

    public SmtpMailer(SmtpSettings settings, MailTemplates templates) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.templates = Objects.requireNonNull(templates, "templates");
        this.session = Session.getInstance(properties(settings), authenticator(settings));
        try {
            this.from = new InternetAddress(settings.from(), true);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("from is not a valid address: " + settings.from(), e);
        }
    }

    private static Properties properties(SmtpSettings s) {
        String protocol = s.security() == SmtpSettings.Security.TLS ? "smtps" : "smtp";
        String timeout = String.valueOf(s.timeout().toMillis());
        Properties p = new Properties();
        p.put("mail.transport.protocol", protocol);
        p.put("mail.mime.allowutf8", "true");
        p.put("mail." + protocol + ".host", s.host());
        p.put("mail." + protocol + ".port", String.valueOf(s.port()));
        p.put("mail." + protocol + ".connectiontimeout", timeout);
        p.put("mail." + protocol + ".timeout", timeout);
        p.put("mail." + protocol + ".writetimeout", timeout);
        p.put("mail." + protocol + ".auth", String.valueOf(!s.username().isEmpty()));
        if (s.security() == SmtpSettings.Security.STARTTLS) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
            p.put("mail.smtp.ssl.checkserveridentity", "true");
        } else if (s.security() == SmtpSettings.Security.TLS) {
            p.put("mail.smtps.ssl.checkserveridentity", "true");
        }
        return p;
    }

    private static Authenticator authenticator(SmtpSettings s) {
        if (s.username().isEmpty()) {
            return null;
        }
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(s.username(), s.password());
            }
        };
    }

    @Override
    public void send(AccountMail mail) {
        MailTemplates.Rendered rendered = templates.render(mail);
        try {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(from);
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to().display(), true));
            message.setSubject(rendered.subject(), "UTF-8");
            message.setHeader("Auto-Submitted", "auto-generated");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(rendered.text(), "UTF-8", "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(rendered.html(), "UTF-8", "html");
            message.setContent(new MimeMultipart("alternative", text, html));
            Transport.send(message);
        } catch (MessagingException e) {
            throw new MailDeliveryException("SMTP delivery to " + settings.host() + ":" + settings.port()
                    + " failed: " + e.getMessage(), e);
        }
    }

}
