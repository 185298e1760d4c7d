package dev.portcullis.token;

import dev.portcullis.model.FieldErrors;

import java.util.Objects;

/** Outcome of {@link ApiKeys#create}. */
public sealed interface ApiKeyResult {

    /**
     * @param key    the stored key's description
     * @param secret the key itself ({@code pcl_} followed by 43 characters): show it to the owner
     *               now, it cannot be retrieved later. Redacted in {@link #toString()}.
     */
    record Created(ApiKey key, String secret) implements ApiKeyResult {
        public Created {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String toString() {
            return "Created[" + key + ", secret=redacted]";
        }
    }

    /** Field-keyed messages for {@code name}, {@code scopes} and {@code lifetime}. */
    record Invalid(FieldErrors errors) implements ApiKeyResult {
    }

    /** The session has not proved every factor of the account within the step-up window: re-authenticate first. */
    record ReauthenticationRequired() implements ApiKeyResult {
    }

    /** The session is missing or expired. */
    record NotAuthenticated() implements ApiKeyResult {
    }
}
