package dev.portcullis.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.Portcullis;
import dev.portcullis.account.AccountLinks;
import dev.portcullis.account.MailSettings;
import dev.portcullis.memory.InMemoryStores;
import dev.portcullis.password.DelegatingPasswordHasher;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The pages the core's mails link to have one source: the core's {@link AccountLinks}. */
class PageSourceTest {

    static final AccountLinks LINKS = new AccountLinks(URI.create("https://app.example.com"), "/account/verify",
            "/account/reset", "/account/confirm", "/signin", "/account/forgot");

    static Portcullis withMail(AccountLinks links) {
        return Portcullis.builder().stores(InMemoryStores.create())
                .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade())
                .mail(MailSettings.of(mail -> { }, links).withExecutor(Runnable::run)).build();
    }

    @Test
    void pagesLeftAtTheirDefaultFollowTheCoresLinks() {
        AuthConfig.Pages pages = new AuthRuntime(withMail(LINKS), AuthConfig.builder().build()).config().pages();

        assertThat(pages.login()).isEqualTo("/signin");
        assertThat(pages.verifyEmail()).isEqualTo("/account/verify");
        assertThat(pages.resetPassword()).isEqualTo("/account/reset");
        assertThat(pages.confirmEmail()).isEqualTo("/account/confirm");
        assertThat(pages.forgotPassword()).isEqualTo("/account/forgot");
        assertThat(pages.register()).as("not a mailed link: the servlet's own").isEqualTo("/register");
    }

    @Test
    void aPageSetInBothPlacesMustAgree() {
        assertThat(new AuthRuntime(withMail(LINKS), AuthConfig.builder().loginPage("/signin").build()).config()
                .pages().login()).isEqualTo("/signin");
        assertThatThrownBy(() -> new AuthRuntime(withMail(LINKS), AuthConfig.builder().loginPage("/login").build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loginPage is /login").hasMessageContaining("/signin");
    }

    @Test
    void withoutMailTheServletsPagesStand() {
        Portcullis noMail = Portcullis.builder().stores(InMemoryStores.create())
                .passwordHasher(DelegatingPasswordHasher.argon2idWithBcryptUpgrade()).build();
        assertThat(new AuthRuntime(noMail, AuthConfig.builder().loginPage("/login-here").build()).config().pages().login())
                .isEqualTo("/login-here");
    }
}
