package io.kedge.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The JSON and YAML codecs every module shares, with the limits untrusted input needs. */
public final class Json {
    /** Deep enough for any real object, shallow enough that hostile nesting fails fast. */
    public static final int MAX_NESTING_DEPTH = 1000;

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(8 * 1024 * 1024)
            .build();

    public static final ObjectMapper MAPPER = configure(new ObjectMapper(withLimits(JsonFactory.builder().build())));

    /** Rejects duplicate keys, as {@code fieldValidation=Strict} requires. */
    public static final ObjectMapper STRICT_MAPPER = configure(new ObjectMapper(withLimits(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())));

    public static final ObjectMapper YAML = configure(new ObjectMapper(withLimits(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build())));

    private Json() {}

    private static <F extends JsonFactory> F withLimits(F factory) {
        factory.setStreamReadConstraints(LIMITS);
        return factory;
    }

    private static ObjectMapper configure(ObjectMapper m) {
        m.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        m.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        return m;
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Parses one JSON document; malformed input becomes a 400 with the parser's own words. */
    public static JsonNode parse(byte[] body, boolean strict) {
        try {
            JsonNode node = (strict ? STRICT_MAPPER : MAPPER).readTree(body);
            if (node == null || node.isMissingNode()) {
                throw ApiException.badRequest("the request body is empty");
            }
            return node;
        } catch (IOException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + conciseMessage(e));
        }
    }

    /** Parses every document of a YAML stream, skipping empty ones. */
    public static List<JsonNode> parseYamlDocuments(byte[] body) {
        try (var parser = YAML.getFactory().createParser(body)) {
            List<JsonNode> docs = new ArrayList<>();
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException | RuntimeException e) {
            throw ApiException.badRequest("the request body is not valid YAML: " + conciseMessage(e));
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String string(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String yaml(JsonNode node) {
        try {
            return YAML.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes bytes this process wrote itself; failure here is a bug or a damaged store. */
    public static ObjectNode trusted(byte[] bytes) {
        try {
            return (ObjectNode) MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("stored object is not valid JSON", e);
        }
    }

    private static String conciseMessage(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int cut = m.indexOf("\n at [Source");
        if (cut > 0) {
            m = m.substring(0, cut);
        }
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }
}
