package dev.portcullis.servlet.bootstrap;

import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code portcullis.*} settings of one web app: the properties file named by context-param
 * {@value BootstrapKeys#CONFIG} (a resource such as {@code /WEB-INF/portcullis.properties}, or a
 * file path), then the {@code portcullis.*} context-params, which win. A value
 * {@code ${env:NAME}} is read from the environment variable {@code NAME}, so secrets need not be
 * written into {@code web.xml}. Unknown keys fail the start, naming them, so that a typo cannot
 * silently leave a path unprotected. Not thread-safe; used once, during deployment.
 */
final class BootstrapSettings {

    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private final Map<String, String> values;
    private final Function<String, String> environment;

    BootstrapSettings(Map<String, String> values, Function<String, String> environment) {
        this.values = new TreeMap<>(values);
        this.environment = environment;
    }

    /** Empty when the web app declares no {@code portcullis.*} context-param: the bootstrap then stays out of the way. */
    static Optional<BootstrapSettings> read(ServletContext context, Function<String, String> environment) {
        Map<String, String> params = new TreeMap<>();
        for (String name : Collections.list(context.getInitParameterNames())) {
            if (name.startsWith(BootstrapKeys.PREFIX)) {
                params.put(name, context.getInitParameter(name));
            }
        }
        if (params.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> merged = new TreeMap<>();
        String config = params.get(BootstrapKeys.CONFIG);
        if (config != null && !config.isBlank()) {
            merged.putAll(load(context, config.strip()));
        }
        merged.putAll(params);
        merged.remove(BootstrapKeys.CONFIG);
        return Optional.of(of(merged, environment));
    }

    /** From settings already read; unknown keys fail, naming them. */
    static BootstrapSettings of(Map<String, String> values, Function<String, String> environment) {
        BootstrapSettings settings = new BootstrapSettings(values, environment);
        settings.checkKnown();
        return settings;
    }

    private static Map<String, String> load(ServletContext context, String location) {
        Properties properties = new Properties();
        try (InputStream resource = location.startsWith("/") ? context.getResourceAsStream(location) : null) {
            if (resource != null) {
                try (Reader reader = new InputStreamReader(resource, StandardCharsets.UTF_8)) {
                    properties.load(reader);
                }
            } else {
                Path file = Path.of(location);
                if (!Files.isRegularFile(file)) {
                    throw new SettingException(BootstrapKeys.CONFIG + ": no web-app resource and no file at " + location
                            + " (use a resource path such as /WEB-INF/portcullis.properties, or an absolute file path)");
                }
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    properties.load(reader);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new SettingException(BootstrapKeys.CONFIG + ": cannot read " + location + ": " + e.getMessage(), e);
        }
        Map<String, String> read = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (!name.startsWith(BootstrapKeys.PREFIX)) {
                throw new SettingException(location + ": key " + name + " does not start with " + BootstrapKeys.PREFIX);
            }
            read.put(name, properties.getProperty(name));
        }
        return read;
    }

    private void checkKnown() {
        List<String> unknown = new ArrayList<>();
        for (String key : values.keySet()) {
            if (!BootstrapKeys.isKnown(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new SettingException("unknown setting(s) " + unknown + "; known: " + BootstrapKeys.known());
        }
    }

    /** The value, environment references resolved, stripped; empty when absent or blank. */
    Optional<String> get(String key) {
        String raw = values.get(key);
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        Matcher m = ENV.matcher(raw.strip());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = environment.apply(m.group(1));
            if (value == null) {
                throw new SettingException(key + ": environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String resolved = out.toString().strip();
        return resolved.isEmpty() ? Optional.empty() : Optional.of(resolved);
    }

    String require(String key, String why) {
        return get(key).orElseThrow(() -> new SettingException(key + " is required: " + why));
    }

    boolean bool(String key, boolean otherwise) {
        return get(key).map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw new SettingException(key + ": use true or false, was: " + v);
        }).orElse(otherwise);
    }

    Optional<Integer> integer(String key, int min, int max) {
        return get(key).map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // one message below
            }
            throw new SettingException(key + ": a whole number from " + min + " to " + max + " is expected, was: " + v);
        });
    }

    /** Seconds ({@code 1800}) or an ISO-8601 duration ({@code PT30M}, {@code P30D}). */
    Optional<Duration> duration(String key) {
        return get(key).map(v -> {
            try {
                Duration d = v.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(v)) : Duration.parse(v);
                if (!d.isNegative() && !d.isZero()) {
                    return d;
                }
            } catch (DateTimeParseException | NumberFormatException e) {
                // one message below
            }
            throw new SettingException(key + ": a positive duration in seconds (1800) or ISO-8601 (PT30M, P30D) is expected, was: " + v);
        });
    }

    List<String> list(String key) {
        return get(key).map(v -> Arrays.stream(v.split("[,\\n]")).map(String::strip).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /** Keys starting with {@code prefix}, e.g. every {@code portcullis.roles.*}. */
    List<String> keysStartingWith(String prefix) {
        return values.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }
}
