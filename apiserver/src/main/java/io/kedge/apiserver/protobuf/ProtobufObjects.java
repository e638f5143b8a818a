package io.kedge.apiserver.protobuf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code application/vnd.kubernetes.protobuf} request bodies, which Go clients (kubectl,
 * helm, controllers) send for typed writes and do not retry as JSON, into the JSON tree the
 * server works with. Responses stay JSON; Go clients accept it.
 *
 * <p>The result is the JSON a Go client would have sent for the same object; {@link MessageJson}
 * explains how zero values are told apart from unset ones.
 */
public final class ProtobufObjects {
    public static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";

    private static final Logger LOG = LoggerFactory.getLogger(ProtobufObjects.class);
    private static final GoFieldShapes SHAPES = GoFieldShapes.load();
    /** RawExtensions may carry protobuf objects in turn; real ones nest once or twice. */
    private static final int MAX_NESTED_OBJECTS = 8;

    private ProtobufObjects() {}

    /** Whether a Content-Type header (parameters and case ignored) announces a protobuf body. */
    public static boolean isProtobuf(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return mediaType.strip().toLowerCase(Locale.ROOT).equals(CONTENT_TYPE);
    }

    /** Whether objects of this apiVersion and kind can be read from protobuf. */
    public static boolean supports(String apiVersion, String kind) {
        return apiVersion != null && kind != null && MessageTypes.find(apiVersion, kind).isPresent();
    }

    /**
     * The object a protobuf body carries, as JSON with its apiVersion and kind.
     *
     * @throws ApiException 400 when the bytes are not a well-formed Kubernetes protobuf object,
     *     415 when its apiVersion and kind have no protobuf schema here
     */
    public static ObjectNode decode(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("the request body is empty");
        }
        return decode(body, 0);
    }

    private static ObjectNode decode(byte[] body, int nesting) {
        Envelope envelope = Envelope.open(body);
        Descriptor type = MessageTypes.find(envelope.apiVersion(), envelope.kind())
                .orElseThrow(() -> ApiException.unsupportedMediaType("protobuf bodies are not supported for "
                        + envelope.gvk() + "; send application/json"));
        DynamicMessage message;
        try {
            message = DynamicMessage.parseFrom(type, envelope.raw());
        } catch (InvalidProtocolBufferException e) {
            throw ApiException.badRequest("the protobuf body is not a valid " + envelope.gvk() + ": " + e.getMessage());
        }
        MessageJson converter = new MessageJson(SHAPES, (raw, where) -> embedded(raw, where, nesting));
        ObjectNode fields = converter.object(message);
        warnAboutUnknown(envelope, converter.unknownFields());
        ObjectNode object = Json.object();
        object.put("apiVersion", envelope.apiVersion());
        object.put("kind", envelope.kind());
        object.setAll(fields);
        return object;
    }

    /** A RawExtension or FieldsV1 payload: JSON as a rule, a nested protobuf object sometimes. */
    private static JsonNode embedded(byte[] raw, String where, int nesting) {
        if (Envelope.hasMagic(raw)) {
            if (nesting + 1 >= MAX_NESTED_OBJECTS) {
                throw ApiException.badRequest("the protobuf body nests objects more than "
                        + MAX_NESTED_OBJECTS + " deep");
            }
            return decode(raw, nesting + 1);
        }
        try {
            JsonNode node = Json.MAPPER.readTree(raw);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the protobuf body holds a " + simpleName(where)
                    + " that is neither JSON nor a Kubernetes protobuf object: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Newer Kubernetes fields than the descriptors know are lost in the conversion; the log says
     * which, as that is the only trace of them.
     */
    private static void warnAboutUnknown(Envelope envelope, List<String> unknownFields) {
        if (!unknownFields.isEmpty()) {
            LOG.warn("ignored protobuf fields unknown to this server in a {}: {}", envelope.gvk(), unknownFields);
        }
    }

    private static String simpleName(String fullName) {
        return fullName.substring(fullName.lastIndexOf('.') + 1);
    }
}
