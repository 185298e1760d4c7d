package dev.portcullis.examples.webapp;

import dev.portcullis.account.RegistrationMode;

import com.icegreen.greenmail.base.GreenMailOperations;
import dev.portcullis.testkit.MutableClock;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real app on a free port, an in-memory H2 database, a movable clock and GreenMail for SMTP. */
final class RunningApp implements AutoCloseable {

    final MutableClock clock = MutableClock.at(Instant.parse("2026-06-01T10:00:00Z"));
    final WebApp app;
    final GreenMailOperations smtp;
    final URI base;

    RunningApp(GreenMailOperations smtp, RegistrationMode mode) throws Exception {
        this(smtp, mode, Map.of());
    }

    /** With more environment variables, which override the defaults below. */
    RunningApp(GreenMailOperations smtp, RegistrationMode mode, Map<String, String> moreEnv) throws Exception {
        this(smtp, mode, "jdbc:h2:mem:webapp-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "", "", moreEnv);
    }

    RunningApp(GreenMailOperations smtp, RegistrationMode mode, String dbUrl, String dbUser, String dbPassword) throws Exception {
        this(smtp, mode, dbUrl, dbUser, dbPassword, Map.of());
    }

    RunningApp(GreenMailOperations smtp, RegistrationMode mode, String dbUrl, String dbUser, String dbPassword,
               Map<String, String> moreEnv) throws Exception {
        this.smtp = smtp;
        int port = freePort();
        this.base = URI.create("http://localhost:" + port);
        Map<String, String> env = new HashMap<>(Map.of(
                "PORT", String.valueOf(port),
                "PORTCULLIS_DB_URL", dbUrl,
                "PORTCULLIS_DB_USER", dbUser,
                "PORTCULLIS_DB_PASSWORD", dbPassword,
                "PORTCULLIS_SMTP_HOST", "127.0.0.1",
                "PORTCULLIS_SMTP_PORT", String.valueOf(smtp.getSmtp().getPort()),
                "PORTCULLIS_MAIL_FROM", "Demo <no-reply@example.com>",
                "PORTCULLIS_BASE_URL", base.toString(),
                "PORTCULLIS_REGISTRATION", mode == RegistrationMode.VERIFY_FIRST ? "verify-first" : "immediate",
                // a key per run, outside the source tree
                "PORTCULLIS_JWT_KEY_FILE", java.nio.file.Files.createTempDirectory("portcullis-test")
                        .resolve("jwt-signing-key.json").toString()));
        env.putAll(moreEnv);
        this.app = WebApp.start(AppSettings.fromEnvironment(env), ClusterSettings.fromEnvironment(env),
                OidcSettings.fromEnvironment(env), clock);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    /** Waits for mail number {@code count} (mail goes out on a background thread) and returns its text part. */
    String mailText(int count) throws Exception {
        if (!smtp.waitForIncomingEmail(10_000, count)) {
            throw new AssertionError("expected " + count + " mails, got " + smtp.getReceivedMessages().length);
        }
        MimeMessage message = smtp.getReceivedMessages()[count - 1];
        return (String) ((MimeMultipart) message.getContent()).getBodyPart(0).getContent();
    }

    /** The text of the latest mail to {@code address}. */
    String mailTextTo(String address) throws Exception {
        MimeMessage found = null;
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (m.getAllRecipients()[0].toString().equals(address)) {
                found = m;
            }
        }
        if (found == null) {
            throw new AssertionError("no mail to " + address);
        }
        return (String) ((MimeMultipart) found.getContent()).getBodyPart(0).getContent();
    }

    /**
     * The text of a mail to {@code address} that contains {@code part}, waiting for it (mail goes
     * out on a background thread); fails after 10 s without a new mail.
     */
    String awaitMailTo(String address, String part) throws Exception {
        for (int count = 1; smtp.waitForIncomingEmail(10_000, count); count++) {
            for (MimeMessage m : smtp.getReceivedMessages()) {
                String text = (String) ((MimeMultipart) m.getContent()).getBodyPart(0).getContent();
                if (m.getAllRecipients()[0].toString().equals(address) && text.contains(part)) {
                    return text;
                }
            }
        }
        throw new AssertionError("no mail to " + address + " containing " + part);
    }

    String recipient(int count) throws Exception {
        return smtp.getReceivedMessages()[count - 1].getAllRecipients()[0].toString();
    }

    /** The first link into the app in a mail's text. */
    Optional<URI> linkIn(String text) {
        Matcher m = Pattern.compile(Pattern.quote(base.toString()) + "/[a-z-]+\\?token=[A-Za-z0-9_-]+").matcher(text);
        return m.find() ? Optional.of(URI.create(m.group())) : Optional.empty();
    }

    @Override
    public void close() {
        app.close();
    }
}
