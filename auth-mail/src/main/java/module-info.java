/** Account mails over SMTP (Angus Mail) with Mustache templates. */
module dev.portcullis.mail.smtp {
    requires transitive dev.portcullis.core;
    requires jakarta.mail;
    requires com.github.mustachejava;

    exports dev.portcullis.mail.smtp;
    // Mustache reads the template model reflectively.
    opens dev.portcullis.mail.smtp to com.github.mustachejava;
}
