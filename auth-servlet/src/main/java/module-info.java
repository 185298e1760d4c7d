/** The Jakarta Servlet 6 adapter: the filter, ready-made endpoints and the result-to-HTTP mapping. */
module dev.portcullis.servlet {
    requires transitive dev.portcullis.core;
    requires transitive jakarta.servlet;
    requires com.fasterxml.jackson.databind;

    exports dev.portcullis.servlet;
}
