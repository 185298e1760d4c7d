package dev.portcullis.servlet;

import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads {@code web.xml} init-params into a builder, by a table of them: each one's name, how its
 * text becomes a value, and the builder setting that takes it. {@link AuthConfig} declares its
 * table with this class. Generic in the builder, so that this class knows nothing of
 * {@code AuthConfig} and the adapter's classes stay free of cycles (see {@code ArchitectureTest}).
 * Immutable.
 *
 * @param <B> the builder the settings go into
 */
final class InitParamTable<B> {

    private static final Pattern SPLIT = Pattern.compile("[,\\n]");

    /** One init-param: its name, how its text becomes a value, and the builder setting that takes it. */
    record InitParam<B, T>(String name, Function<String, T> parser, BiConsumer<B, T> setter) {
        void apply(B builder, String text) {
            setter.accept(builder, parser.apply(text));
        }
    }

    private final List<InitParam<B, ?>> params;

    @SafeVarargs
    InitParamTable(InitParam<B, ?>... params) {
        this.params = List.of(params);
    }

    /** The names, in the table's order. */
    List<String> names() {
        return params.stream().map(InitParam::name).toList();
    }

    /**
     * Gives {@code builder} every parameter that is present and not blank, stripped; a missing or
     * blank one keeps the builder's default.
     *
     * @throws IllegalArgumentException naming the parameter whose value is unusable
     */
    void read(Function<String, String> parameter, B builder) {
        for (InitParam<B, ?> p : params) {
            String value = parameter.apply(p.name());
            if (value != null && !value.isBlank()) {
                try {
                    p.apply(builder, value.strip());
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("init-param " + p.name() + ": " + ex.getMessage(), ex);
                }
            }
        }
    }

    static <B, T> InitParam<B, T> param(String name, Function<String, T> parser, BiConsumer<B, T> setter) {
        return new InitParam<>(name, parser, setter);
    }

    static <B> InitParam<B, String> text(String name, BiConsumer<B, String> setter) {
        return new InitParam<>(name, Function.identity(), setter);
    }

    // ---- how a text becomes a value ------------------------------------------------------------

    /** A list separated by commas or new lines; items stripped, empty ones dropped. */
    static List<String> items(String value) {
        return Arrays.stream(SPLIT.split(value)).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Items of {@code PATTERN} or {@code PATTERN ROLE}. */
    static List<ProtectionRule> rules(String value) {
        return items(value).stream().map(item -> {
            String[] parts = item.split("\\s+");
            if (parts.length > 2) {
                throw new IllegalArgumentException("each item is 'PATTERN' or 'PATTERN ROLE', was: " + item);
            }
            return parts.length == 1 ? ProtectionRule.authenticated(parts[0]) : ProtectionRule.role(parts[0], parts[1]);
        }).toList();
    }

    static boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new IllegalArgumentException("use 'true' or 'false', was: " + value);
        };
    }

    static long positiveLong(String value) {
        try {
            long n = Long.parseLong(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the one message
        }
        throw new IllegalArgumentException("a positive whole number is expected, was: " + value);
    }

    static Duration seconds(String value) {
        try {
            long n = Long.parseLong(value);
            if (n >= 0) {
                return Duration.ofSeconds(n);
            }
        } catch (NumberFormatException e) {
            // fall through to the one message
        }
        throw new IllegalArgumentException("a number of seconds (0 or more) is expected, was: " + value);
    }

    static byte[] base64(String value) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64, or " + e.getMessage());
        }
    }
}
