package io.kedge.openapi;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A schema-less protobuf reader for tests: the fields of one message, by number, in wire order. */
final class ProtoFields {
    private final Map<Integer, List<Object>> fields = new LinkedHashMap<>();

    static ProtoFields parse(byte[] bytes) {
        ProtoFields message = new ProtoFields();
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        try {
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                Object value = switch (WireFormat.getTagWireType(tag)) {
                    case WireFormat.WIRETYPE_VARINT -> in.readInt64();
                    case WireFormat.WIRETYPE_FIXED64 -> in.readFixed64();
                    case WireFormat.WIRETYPE_FIXED32 -> (long) in.readFixed32();
                    case WireFormat.WIRETYPE_LENGTH_DELIMITED -> in.readByteArray();
                    default -> throw new IllegalArgumentException("unexpected wire type in tag " + tag);
                };
                message.fields.computeIfAbsent(WireFormat.getTagFieldNumber(tag), k -> new ArrayList<>()).add(value);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a protobuf message", e);
        }
        return message;
    }

    List<Integer> fieldNumbers() {
        return List.copyOf(fields.keySet());
    }

    boolean has(int field) {
        return fields.containsKey(field);
    }

    String string(int field) {
        List<Object> values = fields.get(field);
        return values == null ? "" : new String((byte[]) values.get(values.size() - 1), StandardCharsets.UTF_8);
    }

    List<String> strings(int field) {
        return fields.getOrDefault(field, List.of()).stream()
                .map(v -> new String((byte[]) v, StandardCharsets.UTF_8)).toList();
    }

    long varint(int field) {
        List<Object> values = fields.get(field);
        return values == null ? 0 : (Long) values.get(values.size() - 1);
    }

    double float64(int field) {
        return Double.longBitsToDouble(varint(field));
    }

    ProtoFields message(int field) {
        List<Object> values = fields.get(field);
        if (values == null) {
            throw new AssertionError("field " + field + " is absent; present: " + fields.keySet());
        }
        return parse((byte[]) values.get(values.size() - 1));
    }

    List<ProtoFields> messages(int field) {
        return fields.getOrDefault(field, List.of()).stream().map(v -> parse((byte[]) v)).toList();
    }

    /** The value of the named entry among repeated (name = 1, value = 2) messages, such as NamedSchema. */
    ProtoFields named(int field, String name) {
        return messages(field).stream().filter(m -> m.string(1).equals(name)).findFirst()
                .map(m -> m.message(2))
                .orElseThrow(() -> new AssertionError("no entry named " + name + " in field " + field));
    }

    List<String> names(int field) {
        return messages(field).stream().map(m -> m.string(1)).toList();
    }
}
