package io.kedge.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.kedge.api.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * The apimachinery types whose JSON is not their message's shape: times and durations become
 * strings, quantities strings, int-or-strings a number or a string, raw payloads embedded JSON.
 */
final class KnownTypes {
    static final String TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.Time";
    static final String MICRO_TIME = "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime";
    static final String DURATION = "k8s.io.apimachinery.pkg.apis.meta.v1.Duration";
    static final String FIELDS_V1 = "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1";
    static final String QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity";
    static final String QUANTITY_VALUE = "k8s.io.apimachinery.pkg.api.resource.QuantityValue";
    static final String INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString";
    static final String RAW_EXTENSION = "k8s.io.apimachinery.pkg.runtime.RawExtension";

    /** Go named slice types ({@code type ExtraValue []string}) that protobuf wraps in a message. */
    private static final Set<String> STRING_LISTS = Set.of(
            "k8s.io.api.authentication.v1.ExtraValue",
            "k8s.io.api.authorization.v1.ExtraValue",
            "k8s.io.api.certificates.v1.ExtraValue",
            "k8s.io.apimachinery.pkg.apis.meta.v1.Verbs");

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MICROSECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private KnownTypes() {}

    static boolean isStringList(String type) {
        return STRING_LISTS.contains(type);
    }

    /**
     * Go sends a zero time as an empty message and writes it to JSON as null, so zero means absent.
     * Like Go, only years 0 to 9999 have a JSON form.
     */
    static JsonNode time(Message message, boolean micro) {
        long seconds = longField(message, 1);
        long nanos = longField(message, 2);
        if (seconds == 0 && nanos == 0) {
            return null;
        }
        try {
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            int year = instant.atZone(ZoneOffset.UTC).getYear();
            if (year < 0 || year > 9999) {
                throw ApiException.badRequest("the protobuf body holds a time in year " + year
                        + ", outside the range [0,9999] that JSON times can express");
            }
            return NODES.textNode((micro ? MICROSECONDS : SECONDS).format(instant));
        } catch (DateTimeException e) {
            throw ApiException.badRequest("the protobuf body holds a time that cannot be represented: "
                    + seconds + "s " + nanos + "ns");
        }
    }

    static JsonNode quantity(Message message) {
        String text = stringField(message, 1);
        // Go encodes the zero quantity as "0", never as an empty string
        return NODES.textNode(text.isEmpty() ? "0" : text);
    }

    /** type 1 is a string; 0, or no type, an integer. */
    static JsonNode intOrString(Message message) {
        if (longField(message, 1) == 1) {
            return NODES.textNode(stringField(message, 3));
        }
        return NODES.numberNode((int) longField(message, 2));
    }

    static long longField(Message message, int number) {
        Object value = message.getField(field(message, number));
        return value instanceof Number n ? n.longValue() : 0;
    }

    static String stringField(Message message, int number) {
        Object value = message.getField(field(message, number));
        return value instanceof String s ? s : "";
    }

    static ByteString bytesField(Message message, int number) {
        Object value = message.getField(field(message, number));
        return value instanceof ByteString b ? b : ByteString.EMPTY;
    }

    private static FieldDescriptor field(Message message, int number) {
        FieldDescriptor field = message.getDescriptorForType().findFieldByNumber(number);
        if (field == null) {
            throw new IllegalStateException(message.getDescriptorForType().getFullName() + " has no field " + number);
        }
        return field;
    }
}
