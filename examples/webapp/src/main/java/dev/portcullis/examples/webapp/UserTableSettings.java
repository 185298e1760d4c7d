package dev.portcullis.examples.webapp;

import dev.portcullis.jdbc.UserTableMapping;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An existing application's user table to sign its users in from, instead of Portcullis's own
 * {@code portcullis_users} (the README's "Trying it on an existing user table"). Read from
 * {@code PORTCULLIS_USER_TABLE*}; absent unless {@code PORTCULLIS_USER_TABLE} is set.
 *
 * @param table            {@code PORTCULLIS_USER_TABLE}: the table, as the database stores its name
 * @param idColumn         {@code PORTCULLIS_USER_TABLE_ID}, default {@code id}
 * @param idType           {@code PORTCULLIS_USER_TABLE_ID_TYPE}: {@code text} (default),
 *                         {@code generated-integer} or {@code application-integer}
 * @param emailColumn      {@code PORTCULLIS_USER_TABLE_EMAIL}, default {@code email}
 * @param passwordColumn   {@code PORTCULLIS_USER_TABLE_PASSWORD}, default {@code password}
 * @param lookupColumn     {@code PORTCULLIS_USER_TABLE_LOOKUP_COLUMN}: a column the database computes as
 *                         {@code LOWER(email)}, indexed, used for lookups and never written
 * @param keepLegacyHashes {@code PORTCULLIS_KEEP_LEGACY_HASHES}: {@code true} keeps bcrypt hashes as
 *                         they are (no upgrade) while the old app still shares the table
 */
public record UserTableSettings(String table, String idColumn, UserTableMapping.IdType idType, String emailColumn,
                                String passwordColumn, Optional<String> lookupColumn, boolean keepLegacyHashes) {

    static Optional<UserTableSettings> fromEnvironment(Map<String, String> env) {
        Optional<String> table = value(env, "PORTCULLIS_USER_TABLE");
        if (table.isEmpty()) {
            for (String name : env.keySet()) {
                if (name.startsWith("PORTCULLIS_USER_TABLE_") || name.equals("PORTCULLIS_KEEP_LEGACY_HASHES")) {
                    throw new IllegalArgumentException(name + " needs PORTCULLIS_USER_TABLE (the table to map)");
                }
            }
            return Optional.empty();
        }
        String type = value(env, "PORTCULLIS_USER_TABLE_ID_TYPE").orElse("text").toLowerCase(Locale.ROOT);
        UserTableMapping.IdType idType = switch (type) {
            case "text" -> UserTableMapping.IdType.TEXT;
            case "generated-integer" -> UserTableMapping.IdType.GENERATED_INTEGER;
            case "application-integer" -> UserTableMapping.IdType.APPLICATION_INTEGER;
            default -> throw new IllegalArgumentException("PORTCULLIS_USER_TABLE_ID_TYPE must be text, generated-integer "
                    + "or application-integer, was '" + type + "'");
        };
        String keep = value(env, "PORTCULLIS_KEEP_LEGACY_HASHES").orElse("false").toLowerCase(Locale.ROOT);
        if (!keep.equals("true") && !keep.equals("false")) {
            throw new IllegalArgumentException("PORTCULLIS_KEEP_LEGACY_HASHES must be true or false, was '" + keep + "'");
        }
        UserTableSettings settings = new UserTableSettings(table.get(), value(env, "PORTCULLIS_USER_TABLE_ID").orElse("id"),
                idType, value(env, "PORTCULLIS_USER_TABLE_EMAIL").orElse("email"),
                value(env, "PORTCULLIS_USER_TABLE_PASSWORD").orElse("password"),
                value(env, "PORTCULLIS_USER_TABLE_LOOKUP_COLUMN"), keep.equals("true"));
        try {
            settings.mapping();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PORTCULLIS_USER_TABLE*: " + e.getMessage());
        }
        return Optional.of(settings);
    }

    /** The mapping these settings describe. */
    public UserTableMapping mapping() {
        UserTableMapping.Builder builder = UserTableMapping.builder(table)
                .id(idColumn, idType)
                .email(emailColumn)
                .passwordHash(passwordColumn);
        lookupColumn.ifPresent(builder::generatedCanonicalEmail);
        return builder.build();
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
