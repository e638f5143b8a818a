package io.kedge.apiserver.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.kedge.api.Json;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import java.io.ByteArrayOutputStream;

/** Frames test messages the way client-go's protobuf serializer does. */
final class ProtobufBodies {
    private ProtobufBodies() {}

    static byte[] body(String apiVersion, String kind, MessageLite object) {
        return body(apiVersion, kind, object.toByteString());
    }

    static byte[] body(String apiVersion, String kind, ByteString raw) {
        Runtime.Unknown unknown = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(raw)
                .setContentEncoding("")
                .setContentType("")
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Envelope.MAGIC);
        out.writeBytes(unknown.toByteArray());
        return out.toByteArray();
    }

    /**
     * ObjectMeta as Go writes it: every non-pointer field present even when empty, and an unset
     * creationTimestamp as an empty Time.
     */
    static Meta.ObjectMeta.Builder goObjectMeta(String name, String namespace) {
        return Meta.ObjectMeta.newBuilder()
                .setName(name)
                .setGenerateName("")
                .setNamespace(namespace)
                .setSelfLink("")
                .setUid("")
                .setResourceVersion("")
                .setGeneration(0)
                .setCreationTimestamp(Meta.Time.getDefaultInstance());
    }

    static JsonNode json(String text) {
        return Json.parse(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
    }
}
