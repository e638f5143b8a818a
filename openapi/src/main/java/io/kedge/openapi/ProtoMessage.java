package io.kedge.openapi;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One protobuf message being built. Fields are collected first and written once, into a single array of the
 * exact size, so nested messages cost no intermediate copies. Scalars at their proto3 default are left out, like
 * protoc-generated code does.
 */
final class ProtoMessage {
    private interface Entry {
        int size();

        void writeTo(CodedOutputStream out) throws IOException;
    }

    private record Text(int field, String value) implements Entry {
        public int size() {
            return CodedOutputStream.computeStringSize(field, value);
        }

        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeString(field, value);
        }
    }

    private record Bool(int field, boolean value) implements Entry {
        public int size() {
            return CodedOutputStream.computeBoolSize(field, value);
        }

        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeBool(field, value);
        }
    }

    private record Int64(int field, long value) implements Entry {
        public int size() {
            return CodedOutputStream.computeInt64Size(field, value);
        }

        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeInt64(field, value);
        }
    }

    private record Float64(int field, double value) implements Entry {
        public int size() {
            return CodedOutputStream.computeDoubleSize(field, value);
        }

        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeDouble(field, value);
        }
    }

    private record Nested(int field, ProtoMessage message) implements Entry {
        public int size() {
            int length = message.size();
            return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
        }

        public void writeTo(CodedOutputStream out) throws IOException {
            out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(message.size());
            message.writeTo(out);
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private int size = -1;

    ProtoMessage string(int field, String value) {
        if (value != null && !value.isEmpty()) {
            entries.add(new Text(field, value));
        }
        return this;
    }

    /** One element of a repeated string field; empty strings are elements too. */
    ProtoMessage element(int field, String value) {
        entries.add(new Text(field, value));
        return this;
    }

    ProtoMessage bool(int field, boolean value) {
        if (value) {
            entries.add(new Bool(field, true));
        }
        return this;
    }

    /** A bool inside a oneof is written even when false: its presence selects the oneof case. */
    ProtoMessage oneofBool(int field, boolean value) {
        entries.add(new Bool(field, value));
        return this;
    }

    ProtoMessage int64(int field, long value) {
        if (value != 0) {
            entries.add(new Int64(field, value));
        }
        return this;
    }

    ProtoMessage float64(int field, double value) {
        if (value != 0) {
            entries.add(new Float64(field, value));
        }
        return this;
    }

    /** An embedded message; written even when empty, since presence of a message field carries meaning. */
    ProtoMessage message(int field, ProtoMessage message) {
        entries.add(new Nested(field, message));
        return this;
    }

    byte[] toByteArray() {
        byte[] bytes = new byte[size()];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing protobuf to memory failed", e);
        }
        out.checkNoSpaceLeft();
        return bytes;
    }

    private int size() {
        if (size < 0) {
            int total = 0;
            for (Entry entry : entries) {
                total += entry.size();
            }
            size = total;
        }
        return size;
    }

    private void writeTo(CodedOutputStream out) throws IOException {
        for (Entry entry : entries) {
            entry.writeTo(out);
        }
    }
}
