package dev.portcullis.servlet;

import dev.portcullis.model.FieldErrors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JSON in and out, through Jackson's tree model (no data binding of our types). The mapper is
 * configured once here and never changed afterwards, which makes it safe to share. A member named
 * twice is refused ({@code STRICT_DUPLICATE_DETECTION}): parsers disagree on which one wins, so a
 * proxy or firewall in front could read another value than we do.
 */
final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * A flat object of string, boolean (as {@code "true"}/{@code "false"}) or null members; empty
     * when the body is not JSON, not an object, names a member twice, or holds a member of another
     * type.
     */
    static Optional<Map<String, String>> readFlatObject(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) { // JacksonException included
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

    /** The one error shape of every endpoint: {@code {"error","message","fields":{…}}}. */
    static ObjectNode error(String code, String message, FieldErrors fields) {
        ObjectNode node = object().put("error", code).put("message", message);
        ObjectNode f = node.putObject("fields");
        for (Map.Entry<String, List<String>> e : fields.byField().entrySet()) {
            ArrayNode messages = f.putArray(e.getKey());
            e.getValue().forEach(messages::add);
        }
        return node;
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JacksonException e) {
            throw new IllegalStateException("a tree always serialises", e);
        }
    }
}
