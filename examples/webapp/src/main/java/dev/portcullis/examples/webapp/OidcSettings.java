package dev.portcullis.examples.webapp;

import dev.portcullis.oidc.OidcProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenID Connect providers of "Sign in with …", from the environment: one provider per
 * {@code PORTCULLIS_OIDC_<NAME>_CLIENT_ID}, buttons in the order of the names. For each:
 * <ul>
 *   <li>{@code _CLIENT_ID}, {@code _CLIENT_SECRET}: the client registered at the provider (required);</li>
 *   <li>{@code _ISSUER}: the issuer URL (required, but for the {@code GOOGLE} preset; for
 *       {@code KEYCLOAK} the realm URL);</li>
 *   <li>{@code _TENANT}: the directory (tenant) id, for the {@code MICROSOFT} preset only (required there);</li>
 *   <li>{@code _SCOPES}: scopes beyond {@code openid email profile}, separated by spaces or commas;</li>
 *   <li>{@code _DISPLAY_NAME}: the button's "Sign in with …" (default: the preset's, else the name);</li>
 *   <li>{@code _AUTHORITATIVE_FOR}: comma-separated domains whose mailboxes the provider owns (its
 *       verified addresses there are proof; docs/guide/oidc.md, linking rules).</li>
 * </ul>
 * The names {@code GOOGLE}, {@code MICROSOFT} and {@code KEYCLOAK} use the presets; any other name
 * (letters, digits, underscores) is a generic issuer whose id is the lower-cased name with hyphens.
 * {@code PORTCULLIS_OIDC_STATE_KEY} (base64 of 32 random bytes) seals the sign-in attempt cookie; without it the
 * key is derived from the access-token signing key, the same on every node that shares it.
 *
 * @param providers the configured providers (empty: no buttons, no endpoints)
 * @param stateKey  {@code PORTCULLIS_OIDC_STATE_KEY}, if set
 */
record OidcSettings(List<OidcProvider> providers, Optional<byte[]> stateKey) {

    private static final Pattern CLIENT_ID = Pattern.compile("PORTCULLIS_OIDC_([A-Z0-9_]+)_CLIENT_ID");

    OidcSettings {
        providers = List.copyOf(providers);
    }

    static OidcSettings none() {
        return new OidcSettings(List.of(), Optional.empty());
    }

    static OidcSettings fromEnvironment(Map<String, String> env) {
        TreeSet<String> names = new TreeSet<>();
        for (String key : env.keySet()) {
            Matcher m = CLIENT_ID.matcher(key);
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        List<OidcProvider> providers = new ArrayList<>();
        for (String name : names) {
            providers.add(provider(env, name));
        }
        Optional<byte[]> key = Optional.ofNullable(env.get("PORTCULLIS_OIDC_STATE_KEY")).map(String::strip)
                .filter(v -> !v.isEmpty()).map(v -> {
                    byte[] bytes;
                    try {
                        bytes = Base64.getDecoder().decode(v);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("PORTCULLIS_OIDC_STATE_KEY must be base64 (32 random bytes)");
                    }
                    if (bytes.length != 32) {
                        throw new IllegalArgumentException("PORTCULLIS_OIDC_STATE_KEY must hold exactly 32 bytes, has "
                                + bytes.length);
                    }
                    return bytes;
                });
        return new OidcSettings(providers, key);
    }

    private static OidcProvider provider(Map<String, String> env, String name) {
        String prefix = "PORTCULLIS_OIDC_" + name + "_";
        String clientId = required(env, prefix + "CLIENT_ID");
        String secret = required(env, prefix + "CLIENT_SECRET");
        try {
            OidcProvider.Builder b = switch (name) {
                case "GOOGLE" -> OidcProvider.google(clientId, secret);
                case "MICROSOFT" -> OidcProvider.microsoft(required(env, prefix + "TENANT"), clientId, secret);
                case "KEYCLOAK" -> OidcProvider.keycloak(issuer(env, prefix), clientId, secret);
                default -> OidcProvider.builder(name.toLowerCase(Locale.ROOT).replace('_', '-'))
                        .displayName(name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT).replace('_', ' '))
                        .issuer(issuer(env, prefix)).client(clientId, secret);
            };
            value(env, prefix + "DISPLAY_NAME").ifPresent(b::displayName);
            value(env, prefix + "SCOPES").ifPresent(s -> b.scopes(items(s, "[\\s,]+")));
            value(env, prefix + "AUTHORITATIVE_FOR").ifPresent(d -> b.authoritativeFor(items(d, "\\s*,\\s*")));
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "*: " + e.getMessage());
        }
    }

    private static URI issuer(Map<String, String> env, String prefix) {
        String value = required(env, prefix + "ISSUER");
        try {
            return URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "ISSUER must be the issuer's URL, was '" + value + "'");
        }
    }

    private static String required(Map<String, String> env, String name) {
        return value(env, name).orElseThrow(() -> new IllegalArgumentException(name + " is required"));
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static String[] items(String value, String separator) {
        return Arrays.stream(value.split(separator)).map(String::strip).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    /** Never prints secrets. */
    @Override
    public String toString() {
        return "OidcSettings[providers=" + providers.stream().map(OidcProvider::id).toList() + ", stateKey="
                + (stateKey.isPresent() ? "configured" : "derived") + "]";
    }
}
