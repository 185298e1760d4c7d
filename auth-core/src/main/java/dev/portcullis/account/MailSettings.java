package dev.portcullis.account;

import dev.portcullis.Portcullis;
import dev.portcullis.policy.LinkLifetimes;

import dev.portcullis.spi.Mailer;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * What email verification, password reset and email change need: the mailer, where the links
 * point, how long they live, and (optionally) the executor that runs mail work off the request
 * thread — by default one daemon thread owned, and ended, by the {@code Portcullis}. Requires a
 * {@code OneTimeTokenStore} among the stores. Immutable.
 *
 * @param executor empty for the owned thread; tests may pass {@code Runnable::run}
 */
public record MailSettings(Mailer mailer, AccountLinks links, LinkLifetimes lifetimes, Optional<Executor> executor) {

    public MailSettings {
        Objects.requireNonNull(mailer, "mailer");
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(lifetimes, "lifetimes");
        Objects.requireNonNull(executor, "executor");
    }

    /** Default lifetimes, owned mail thread. */
    public static MailSettings of(Mailer mailer, AccountLinks links) {
        return new MailSettings(mailer, links, LinkLifetimes.defaults(), Optional.empty());
    }

    public MailSettings withLifetimes(LinkLifetimes value) {
        return new MailSettings(mailer, links, value, executor);
    }

    public MailSettings withExecutor(Executor value) {
        return new MailSettings(mailer, links, lifetimes, Optional.of(value));
    }
}
