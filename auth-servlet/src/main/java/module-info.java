/** The Jakarta Servlet 6 adapter: the filter, ready-made endpoints and the result-to-HTTP mapping. */
module dev.portcullis.servlet {
    requires transitive dev.portcullis.core;
    requires transitive jakarta.servlet;
    requires com.fasterxml.jackson.databind;
    requires com.github.mustachejava;
    requires io.nayuki.qrcodegen;

    exports dev.portcullis.servlet;
    // The default pages' templates, for the application to copy and override.
    opens dev.portcullis.servlet.pages;
}
