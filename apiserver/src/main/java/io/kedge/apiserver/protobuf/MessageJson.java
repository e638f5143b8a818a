package io.kedge.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Turns a decoded Kubernetes message into the JSON a Go client would have sent for the same
 * object.
 *
 * <p>Go's protobuf encoder writes every non-pointer field, zero or not, and pointer fields only
 * when set. Go's JSON encoder also writes every struct (as {} when empty) and every set pointer,
 * so a message present on the wire is always kept. Scalars differ: JSON drops zero scalars tagged
 * omitempty, so a zero scalar is dropped unless {@link GoFieldShapes} says its Go field is a
 * pointer or lacks omitempty. Zero times are dropped as Go writes them as null. Fields this
 * server's descriptors do not know (added to Kubernetes after them) are dropped and reported to
 * the caller.
 */
final class MessageJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final GoFieldShapes shapes;
    private final EmbeddedObjects embedded;
    private final List<String> unknownFields = new ArrayList<>();

    /** Decodes the objects a RawExtension carries; see {@link ProtobufObjects}. */
    interface EmbeddedObjects {
        JsonNode decode(byte[] raw, String where);
    }

    MessageJson(GoFieldShapes shapes, EmbeddedObjects embedded) {
        this.shapes = shapes;
        this.embedded = embedded;
    }

    /** Fields on the wire that the descriptors do not define, as "message#number". */
    List<String> unknownFields() {
        return List.copyOf(unknownFields);
    }

    ObjectNode object(Message message) {
        ObjectNode json = NODES.objectNode();
        writeFields(message, json);
        return json;
    }

    private void writeFields(Message message, ObjectNode json) {
        for (Integer number : message.getUnknownFields().asMap().keySet()) {
            unknownFields.add(message.getDescriptorForType().getFullName() + "#" + number);
        }
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (field.isMapField()) {
                writeMap(message, field, json);
            } else if (field.isRepeated()) {
                writeList(message, field, json);
            } else if (message.hasField(field)) {
                writeSingular(field, message.getField(field), json);
            }
        }
    }

    private void writeSingular(FieldDescriptor field, Object value, ObjectNode json) {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            JsonNode node = messageValue((Message) value);
            if (node == null) {
                return;
            }
            if (shapes.isInline(field) && node instanceof ObjectNode fields) {
                json.setAll(fields);
            } else {
                json.set(shapes.jsonName(field), node);
            }
        } else if (!isZero(value) || shapes.writesZero(field)) {
            json.set(shapes.jsonName(field), scalar(value));
        }
    }

    private void writeList(Message message, FieldDescriptor field, ObjectNode json) {
        int count = message.getRepeatedFieldCount(field);
        if (count == 0) {
            return;
        }
        ArrayNode items = json.putArray(shapes.jsonName(field));
        for (int i = 0; i < count; i++) {
            Object item = message.getRepeatedField(field, i);
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                JsonNode node = messageValue((Message) item);
                items.add(node == null ? NODES.nullNode() : node);
            } else {
                items.add(scalar(item));
            }
        }
    }

    private void writeMap(Message message, FieldDescriptor field, ObjectNode json) {
        int count = message.getRepeatedFieldCount(field);
        if (count == 0) {
            return;
        }
        FieldDescriptor keyField = field.getMessageType().findFieldByNumber(1);
        FieldDescriptor valueField = field.getMessageType().findFieldByNumber(2);
        ObjectNode entries = json.putObject(shapes.jsonName(field));
        for (int i = 0; i < count; i++) {
            Message entry = (Message) message.getRepeatedField(field, i);
            String key = String.valueOf(entry.getField(keyField));
            Object value = entry.getField(valueField);
            if (valueField.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                JsonNode node = messageValue((Message) value);
                entries.set(key, node == null ? NODES.nullNode() : node);
            } else {
                entries.set(key, scalar(value));
            }
        }
    }

    /** A message's JSON, or null where Go writes null (zero times, empty raw payloads). */
    private JsonNode messageValue(Message message) {
        String type = message.getDescriptorForType().getFullName();
        return switch (type) {
            case KnownTypes.TIME -> KnownTypes.time(message, false);
            case KnownTypes.MICRO_TIME -> KnownTypes.time(message, true);
            case KnownTypes.DURATION -> NODES.textNode(GoDuration.format(KnownTypes.longField(message, 1)));
            case KnownTypes.QUANTITY, KnownTypes.QUANTITY_VALUE -> KnownTypes.quantity(message);
            case KnownTypes.INT_OR_STRING -> KnownTypes.intOrString(message);
            case KnownTypes.RAW_EXTENSION, KnownTypes.FIELDS_V1 -> embeddedJson(message, type);
            default -> KnownTypes.isStringList(type) ? stringList(message) : object(message);
        };
    }

    private JsonNode embeddedJson(Message message, String type) {
        ByteString raw = KnownTypes.bytesField(message, 1);
        return raw.isEmpty() ? null : embedded.decode(raw.toByteArray(), type);
    }

    /** Go slice types (ExtraValue, Verbs) travel as a message with one repeated "items" field. */
    private JsonNode stringList(Message message) {
        ArrayNode items = NODES.arrayNode();
        FieldDescriptor field = message.getDescriptorForType().findFieldByNumber(1);
        for (int i = 0; i < message.getRepeatedFieldCount(field); i++) {
            items.add(scalar(message.getRepeatedField(field, i)));
        }
        return items;
    }

    private static boolean isZero(Object value) {
        if (value instanceof String s) {
            return s.isEmpty();
        } else if (value instanceof Boolean b) {
            return !b;
        } else if (value instanceof Number n) {
            return n.doubleValue() == 0;
        } else if (value instanceof ByteString b) {
            return b.isEmpty();
        } else if (value instanceof EnumValueDescriptor e) {
            return e.getNumber() == 0;
        }
        return false;
    }

    private static JsonNode scalar(Object value) {
        if (value instanceof String s) {
            return NODES.textNode(s);
        } else if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        } else if (value instanceof Integer || value instanceof Long) {
            return integer(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            // Go writes integral floats without a fraction, which a JSON parser reads back as an integer
            return d == Math.rint(d) && Math.abs(d) < 0x1p53 ? integer((long) d) : NODES.numberNode(d);
        } else if (value instanceof ByteString b) {
            // Go's encoding/json writes []byte as standard, padded base64
            return NODES.textNode(Base64.getEncoder().encodeToString(b.toByteArray()));
        } else if (value instanceof EnumValueDescriptor e) {
            return NODES.textNode(e.getName());
        }
        throw new IllegalStateException("a protobuf field value of unexpected type " + value.getClass().getName());
    }

    /** The node a JSON parser would make for this number, so decoded trees equal parsed ones. */
    private static JsonNode integer(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }
}
