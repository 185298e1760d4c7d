package dev.portcullis.examples.webapp;

import dev.portcullis.jdbc.PostgresRevocationBus;
import java.net.URI;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What several nodes of the app must agree on, and what they share, read from the environment at
 * start-up (see the README's "Several nodes" table and docs/guide/several-nodes.md). Kept apart from
 * {@link AppSettings} so a single node needs none of it.
 *
 * @param csrfSecret    {@code PORTCULLIS_CSRF_SECRET}: base64 of at least 32 bytes; unset: derived
 *                      from the access-token signing key ({@link DerivedKeys})
 * @param deviceKey     {@code PORTCULLIS_DEVICE_KEY}: base64 of at least 32 bytes, the device-cookie
 *                      key; unset: derived from the signing key
 * @param jwtKeyJson    {@code PORTCULLIS_JWT_KEY}: the access-token signing key as a private JWK;
 *                      unset: {@code PORTCULLIS_JWT_KEY_FILE} (give every node the same file)
 * @param tokenIssuer   {@code PORTCULLIS_TOKEN_ISSUER}; unset: the origin of {@code PORTCULLIS_BASE_URL}
 * @param tokenAudience {@code PORTCULLIS_TOKEN_AUDIENCE}; unset: the issuer + {@code /api}
 * @param redisUrl      {@code PORTCULLIS_REDIS_URL}: sessions, throttle counters, remember-me and the
 *                      bus on Redis
 * @param redisPrefix   {@code PORTCULLIS_REDIS_PREFIX}, default {@code portcullis:}
 * @param bus           {@code PORTCULLIS_REVOCATION_BUS}: {@code auto} (default: Redis with a Redis URL,
 *                      else PostgreSQL on PostgreSQL, else none), {@code postgres}, {@code redis} or {@code none}
 * @param busChannel    {@code PORTCULLIS_BUS_CHANNEL}: the PostgreSQL channel, or the Redis channel
 *                      (then default the prefix + {@code revocation})
 */
public record ClusterSettings(Optional<byte[]> csrfSecret, Optional<byte[]> deviceKey, Optional<String> jwtKeyJson,
                              Optional<String> tokenIssuer, Optional<String> tokenAudience, Optional<URI> redisUrl,
                              String redisPrefix, Bus bus, Optional<String> busChannel) {

    /** Which revocation bus the app runs. */
    public enum Bus { AUTO, POSTGRES, REDIS, NONE }

    public ClusterSettings {
        csrfSecret = csrfSecret.map(byte[]::clone);
        deviceKey = deviceKey.map(byte[]::clone);
    }

    /** Nothing configured: one node, or nodes that share the database, the key file and the base URL. */
    public static ClusterSettings none() {
        return fromEnvironment(Map.of());
    }

    public static ClusterSettings fromEnvironment(Map<String, String> env) {
        Optional<URI> redis = value(env, "PORTCULLIS_REDIS_URL").map(v -> {
            URI uri;
            try {
                uri = URI.create(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PORTCULLIS_REDIS_URL must be redis://host:port, was '" + v + "'");
            }
            if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("PORTCULLIS_REDIS_URL must be redis://host:port, was '" + v + "'");
            }
            return uri;
        });
        String prefix = value(env, "PORTCULLIS_REDIS_PREFIX").orElse("portcullis:");
        if (!prefix.matches("[A-Za-z0-9:_.-]{1,100}")) {
            throw new IllegalArgumentException("PORTCULLIS_REDIS_PREFIX must be 1 to 100 letters, digits or ':_.-', was '"
                    + prefix + "'");
        }
        String busName = value(env, "PORTCULLIS_REVOCATION_BUS").orElse("auto").toLowerCase(Locale.ROOT);
        Bus bus = switch (busName) {
            case "auto" -> Bus.AUTO;
            case "postgres" -> Bus.POSTGRES;
            case "redis" -> Bus.REDIS;
            case "none" -> Bus.NONE;
            default -> throw new IllegalArgumentException(
                    "PORTCULLIS_REVOCATION_BUS must be auto, postgres, redis or none, was '" + busName + "'");
        };
        if (bus == Bus.REDIS && redis.isEmpty()) {
            throw new IllegalArgumentException("PORTCULLIS_REVOCATION_BUS=redis needs PORTCULLIS_REDIS_URL");
        }
        Optional<String> channel = value(env, "PORTCULLIS_BUS_CHANNEL");
        if (channel.isPresent() && !channel.get().matches("[A-Za-z0-9:_.-]{1,100}")) {
            throw new IllegalArgumentException("PORTCULLIS_BUS_CHANNEL must be 1 to 100 letters, digits or ':_.-' "
                    + "(on PostgreSQL: a lower-case identifier), was '" + channel.get() + "'");
        }
        return new ClusterSettings(key(env, "PORTCULLIS_CSRF_SECRET"), key(env, "PORTCULLIS_DEVICE_KEY"),
                value(env, "PORTCULLIS_JWT_KEY"), value(env, "PORTCULLIS_TOKEN_ISSUER"),
                value(env, "PORTCULLIS_TOKEN_AUDIENCE"), redis, prefix, bus, channel);
    }

    /** The bus this app runs on {@code dbUrl}. */
    Bus effectiveBus(String dbUrl) {
        if (bus != Bus.AUTO) {
            return bus;
        }
        if (redisUrl.isPresent()) {
            return Bus.REDIS;
        }
        return dbUrl.startsWith("jdbc:postgresql:") ? Bus.POSTGRES : Bus.NONE;
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static Optional<byte[]> key(Map<String, String> env, String name) {
        return value(env, name).map(v -> {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " must be base64 (e.g. from `openssl rand -base64 32`)");
            }
            if (key.length < 32) {
                throw new IllegalArgumentException(name + " must hold at least 32 bytes, was " + key.length);
            }
            return key;
        });
    }

    /** Never prints a secret. */
    @Override
    public String toString() {
        return "ClusterSettings[csrfSecret=" + (csrfSecret.isPresent() ? "configured" : "derived")
                + ", deviceKey=" + (deviceKey.isPresent() ? "configured" : "derived")
                + ", jwtKey=" + (jwtKeyJson.isPresent() ? "configured" : "key file")
                + ", redis=" + redisUrl.map(u -> u.getHost() + ":" + u.getPort()).orElse("none")
                + ", bus=" + bus + "]";
    }
}
