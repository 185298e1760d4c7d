package dev.portcullis.mail.smtp;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import com.github.mustachejava.MustacheNotFoundException;
import dev.portcullis.mail.MailText;
import dev.portcullis.spi.AccountMail;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders {@link AccountMail} as a subject, a plain-text part and an HTML part with Mustache.
 * HTML templates escape every value; text templates do not (they are not HTML).
 *
 * <p>Built-in templates live on the classpath under {@code dev/portcullis/mail/smtp/templates/}
 * as {@code <kind>.txt.mustache} and {@code <kind>.html.mustache}, kinds being
 * {@code verify-email}, {@code registration-attempted}, {@code password-reset},
 * {@code password-changed}, {@code confirm-email-change}, {@code email-change-requested},
 * {@code email-changed}, {@code remember-me-theft}, {@code sign-in-throttled},
 * {@code second-factor-added}, {@code second-factor-removed}, {@code recovery-code-used}. {@link #overriddenBy(Path, String)} takes any of those files from a
 * directory instead. Values available: {@code serviceName}, {@code to}, {@code link},
 * {@code validFor}, {@code loginLink}, {@code resetLink}, {@code newAddress}, {@code remaining} and
 * {@code remainingVerb} ("is"/"are").
 */
public final class MailTemplates {

    private static final String BUILT_IN = "dev/portcullis/mail/smtp/templates";

    private final MailText text;
    private final MustacheFactory htmlBuiltIn = new DefaultMustacheFactory(BUILT_IN);
    private final MustacheFactory textBuiltIn = new RawMustacheFactory(BUILT_IN);
    private final Optional<Path> overrideDir;
    private final MustacheFactory htmlOverride;
    private final MustacheFactory textOverride;

    private MailTemplates(String serviceName, Path overrideDir) {
        this.text = new MailText(Objects.requireNonNull(serviceName, "serviceName"));
        this.overrideDir = Optional.ofNullable(overrideDir);
        this.htmlOverride = overrideDir == null ? null : new DefaultMustacheFactory(overrideDir.toFile());
        this.textOverride = overrideDir == null ? null : new RawMustacheFactory(overrideDir.toFile());
    }

    public static MailTemplates builtIn(String serviceName) {
        return new MailTemplates(serviceName, null);
    }

    /** Templates found in {@code directory} replace the built-in ones of the same name. */
    public static MailTemplates overriddenBy(Path directory, String serviceName) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("not a directory: " + directory);
        }
        return new MailTemplates(serviceName, directory);
    }

    /** A rendered message. */
    public record Rendered(String subject, String text, String html) {
    }

    public Rendered render(AccountMail mail) {
        String kind = kind(mail);
        Map<String, Object> scope = scope(mail);
        return new Rendered(text.subject(mail),
                render(kind + ".txt.mustache", textOverride, textBuiltIn, scope),
                render(kind + ".html.mustache", htmlOverride, htmlBuiltIn, scope));
    }

    private String render(String name, MustacheFactory override, MustacheFactory builtIn, Map<String, Object> scope) {
        Mustache template = null;
        if (override != null && Files.isRegularFile(overrideDir.get().resolve(name))) {
            template = override.compile(name);
        }
        if (template == null) {
            try {
                template = builtIn.compile(name);
            } catch (MustacheNotFoundException e) {
                throw new IllegalStateException("mail template missing: " + name, e);
            }
        }
        StringWriter out = new StringWriter();
        template.execute(out, scope);
        return out.toString();
    }

    static String kind(AccountMail mail) {
        if (mail instanceof AccountMail.VerifyEmail) {
            return "verify-email";
        } else if (mail instanceof AccountMail.RegistrationAttempted) {
            return "registration-attempted";
        } else if (mail instanceof AccountMail.PasswordReset) {
            return "password-reset";
        } else if (mail instanceof AccountMail.PasswordChanged) {
            return "password-changed";
        } else if (mail instanceof AccountMail.ConfirmEmailChange) {
            return "confirm-email-change";
        } else if (mail instanceof AccountMail.EmailChangeRequested) {
            return "email-change-requested";
        } else if (mail instanceof AccountMail.EmailChanged) {
            return "email-changed";
        } else if (mail instanceof AccountMail.RememberMeTheft) {
            return "remember-me-theft";
        } else if (mail instanceof AccountMail.SignInThrottled) {
            return "sign-in-throttled";
        } else if (mail instanceof AccountMail.SecondFactorAdded) {
            return "second-factor-added";
        } else if (mail instanceof AccountMail.SecondFactorRemoved) {
            return "second-factor-removed";
        } else if (mail instanceof AccountMail.RecoveryCodeUsed) {
            return "recovery-code-used";
        } else if (mail instanceof AccountMail.IdentityLinked) {
            return "identity-linked";
        } else if (mail instanceof AccountMail.ConfirmIdentityLink) {
            return "confirm-identity-link";
        } else if (mail instanceof AccountMail.PasskeyAdded) {
            return "passkey-added";
        } else if (mail instanceof AccountMail.PasskeyRemoved) {
            return "passkey-removed";
        } else if (mail instanceof AccountMail.PasskeyCloneSuspected) {
            return "passkey-clone-suspected";
        }
        throw new IllegalArgumentException("no template for " + mail.getClass());
    }

    private Map<String, Object> scope(AccountMail mail) {
        Map<String, Object> scope = new HashMap<>();
        scope.put("serviceName", text.serviceName());
        scope.put("to", mail.to().display());
        if (mail instanceof AccountMail.VerifyEmail m) {
            scope.put("link", m.link().toString());
            scope.put("validFor", MailText.human(m.validFor()));
        } else if (mail instanceof AccountMail.RegistrationAttempted m) {
            scope.put("loginLink", m.loginLink().toString());
            scope.put("resetLink", m.resetLink().toString());
        } else if (mail instanceof AccountMail.PasswordReset m) {
            scope.put("link", m.link().toString());
            scope.put("validFor", MailText.human(m.validFor()));
        } else if (mail instanceof AccountMail.ConfirmEmailChange m) {
            scope.put("link", m.link().toString());
            scope.put("validFor", MailText.human(m.validFor()));
        } else if (mail instanceof AccountMail.IdentityLinked m) {
            scope.put("provider", m.provider());
        } else if (mail instanceof AccountMail.ConfirmIdentityLink m) {
            scope.put("provider", m.provider());
            scope.put("link", m.link().toString());
            scope.put("validFor", MailText.human(m.validFor()));
        } else if (mail instanceof AccountMail.PasskeyAdded m) {
            scope.put("passkeyName", m.passkeyName());
        } else if (mail instanceof AccountMail.PasskeyRemoved m) {
            scope.put("passkeyName", m.passkeyName());
        } else if (mail instanceof AccountMail.PasskeyCloneSuspected m) {
            scope.put("passkeyName", m.passkeyName());
        } else if (mail instanceof AccountMail.EmailChangeRequested m) {
            scope.put("newAddress", m.newAddress().display());
        } else if (mail instanceof AccountMail.EmailChanged m) {
            scope.put("newAddress", m.newAddress().display());
        } else if (mail instanceof AccountMail.RecoveryCodeUsed m) {
            scope.put("remaining", Integer.toString(m.remaining()));
            scope.put("remainingVerb", m.remaining() == 1 ? "is" : "are");
        }
        return scope;
    }

    /** Mustache without HTML escaping, for the text/plain part. */
    private static final class RawMustacheFactory extends DefaultMustacheFactory {
        RawMustacheFactory(String resourceRoot) {
            super(resourceRoot);
        }

        RawMustacheFactory(File fileRoot) {
            super(fileRoot);
        }

        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
