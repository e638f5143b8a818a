package io.kedge.apiserver.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kedge.api.ApiException;
import io.kubernetes.client.proto.Runtime;

/**
 * The Kubernetes protobuf wire frame: a 4-byte magic, then a runtime.Unknown whose typeMeta names
 * the object and whose raw field holds the object's own encoding.
 */
record Envelope(String apiVersion, String kind, ByteString raw) {
    static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};

    static boolean hasMagic(byte[] bytes) {
        if (bytes.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    static Envelope open(byte[] body) {
        if (!hasMagic(body)) {
            throw ApiException.badRequest("the protobuf body does not start with the Kubernetes magic bytes"
                    + " \"k8s\\0\"; it is not an " + ProtobufObjects.CONTENT_TYPE + " body");
        }
        Runtime.Unknown unknown;
        try {
            unknown = Runtime.Unknown.parseFrom(ByteString.copyFrom(body, MAGIC.length, body.length - MAGIC.length));
        } catch (InvalidProtocolBufferException e) {
            throw ApiException.badRequest("the protobuf body's envelope (runtime.Unknown) is malformed: " + e.getMessage());
        }
        String apiVersion = unknown.getTypeMeta().getApiVersion();
        String kind = unknown.getTypeMeta().getKind();
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw ApiException.badRequest("the protobuf body's envelope names no "
                    + (apiVersion.isEmpty() ? "apiVersion" : "kind") + "; both are required");
        }
        if (!unknown.getContentEncoding().isEmpty()) {
            throw ApiException.unsupportedMediaType("protobuf bodies with content encoding \""
                    + unknown.getContentEncoding() + "\" are not supported; send application/json");
        }
        String contentType = unknown.getContentType();
        if (!contentType.isEmpty() && !contentType.equals(ProtobufObjects.CONTENT_TYPE)) {
            throw ApiException.unsupportedMediaType("protobuf envelopes holding \"" + contentType
                    + "\" are not supported; send application/json");
        }
        return new Envelope(apiVersion, kind, unknown.getRaw());
    }

    String gvk() {
        return apiVersion + " " + kind;
    }
}
