package dev.portcullis.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation messages keyed by input field, in the order found, ready for a form to show next to
 * each field. Immutable.
 */
public record FieldErrors(Map<String, List<String>> byField) {

    public FieldErrors {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        byField.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        byField = java.util.Collections.unmodifiableMap(copy);
    }

    public static FieldErrors of(String field, String message) {
        return new FieldErrors(Map.of(field, List.of(message)));
    }

    public boolean isEmpty() {
        return byField.isEmpty();
    }

    /** Messages for one field; empty when it has none. */
    public List<String> messagesFor(String field) {
        return byField.getOrDefault(field, List.of());
    }

    /** Accumulates messages; not thread-safe. */
    public static final class Collector {
        private final Map<String, List<String>> map = new LinkedHashMap<>();

        public Collector add(String field, String message) {
            map.computeIfAbsent(field, k -> new ArrayList<>()).add(message);
            return this;
        }

        public boolean has(String field) {
            return map.containsKey(field);
        }

        public boolean isEmpty() {
            return map.isEmpty();
        }

        public FieldErrors toErrors() {
            return new FieldErrors(map);
        }
    }
}
