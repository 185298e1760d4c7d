/**
 * Portcullis core: the composition root {@code dev.portcullis.Portcullis}, its feature services
 * ({@code session}, {@code account}, {@code token}, {@code identity}), values ({@code model}), ports ({@code spi}),
 * policies, password hashing and in-memory stores. {@code dev.portcullis.internal} is the shared
 * implementation tier and is deliberately not exported.
 */
module dev.portcullis.core {
    requires transitive jakarta.validation;
    requires org.hibernate.validator;
    requires com.nimbusds.jose.jwt;
    requires de.mkammerer.argon2.nolibs;
    requires com.sun.jna;
    requires bcrypt;

    exports dev.portcullis;
    exports dev.portcullis.account;
    exports dev.portcullis.identity;
    exports dev.portcullis.mail;
    exports dev.portcullis.memory;
    exports dev.portcullis.mfa;
    exports dev.portcullis.model;
    exports dev.portcullis.passkey;
    exports dev.portcullis.password;
    exports dev.portcullis.policy;
    exports dev.portcullis.session;
    exports dev.portcullis.spi;
    exports dev.portcullis.token;

    // Bean Validation reads the constraints on the input records reflectively.
    opens dev.portcullis.model to org.hibernate.validator;
    opens dev.portcullis.account to org.hibernate.validator;
}
