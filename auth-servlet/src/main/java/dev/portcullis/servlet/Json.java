package dev.portcullis.servlet;

import dev.portcullis.model.FieldErrors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** JSON in and out, through Jackson's tree model. Thread-safe once built. */
final class Json {

    private final ObjectMapper mapper = new ObjectMapper();

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    /**
     * A flat object of string, boolean (as {@code "true"}/{@code "false"}) or null members; empty
     * when the body is not JSON, not an object, or holds a member of another type.
     */
    Optional<Map<String, String>> readFlatObject(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JacksonException e) {
            return Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getValue().isTextual()) {
                fields.put(e.getKey(), e.getValue().textValue());
            } else if (e.getValue().isBoolean()) {
                fields.put(e.getKey(), Boolean.toString(e.getValue().booleanValue()));
            } else if (!e.getValue().isNull()) {
                return Optional.empty();
            }
        }
        return Optional.of(fields);
    }

    ObjectNode error(String code, String message, FieldErrors fields) {
        ObjectNode node = object().put("error", code).put("message", message);
        ObjectNode f = node.putObject("fields");
        for (Map.Entry<String, List<String>> e : fields.byField().entrySet()) {
            ArrayNode messages = f.putArray(e.getKey());
            e.getValue().forEach(messages::add);
        }
        return node;
    }

    String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JacksonException e) {
            throw new IllegalStateException("a tree always serialises", e);
        }
    }
}
