package dev.portcullis.servlet;

import dev.portcullis.account.RegistrationResult;

import jakarta.servlet.ServletException;
import java.io.IOException;

/** {@code POST /register}: {@code email}, {@code password}, {@code confirm_password}, {@code next}. */
final class RegisterEndpoint {

    private RegisterEndpoint() {
    }

    static void handle(EndpointCall c) throws IOException, ServletException {
        Fields f = c.fields();
        RegistrationResult result = c.core().register(f.get("email"), f.password("password"), f.confirmPassword(),
                c.clientAddress());
        Answer answer = ResultResponses.registration(result);
        if (result instanceof RegistrationResult.Registered r) {
            c.signIn(r.user(), r.session(), answer.code(), false);
        } else if (result instanceof RegistrationResult.VerificationSent) {
            // Verify-first mode: the same answer whether or not the address was taken; nobody is logged in.
            c.done(answer, c.config().pages().verificationSent());
        } else {
            c.fail(c.config().pages().register(), answer); // a busy answer is held there
        }
    }
}
