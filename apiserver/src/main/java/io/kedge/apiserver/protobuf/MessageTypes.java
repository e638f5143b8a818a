package io.kedge.apiserver.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Admissionregistration;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Certificates;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Scheduling;
import io.kubernetes.client.proto.V1Storage;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The protobuf message for each apiVersion and kind a client may send. Only the group-versions
 * that client-java-proto ships descriptors for are here; everything else must come as JSON.
 */
final class MessageTypes {
    private static final Map<String, FileDescriptor> BY_API_VERSION = Map.ofEntries(
            Map.entry("v1", V1.getDescriptor()),
            Map.entry("apps/v1", V1Apps.getDescriptor()),
            Map.entry("batch/v1", V1Batch.getDescriptor()),
            Map.entry("autoscaling/v1", V1Autoscaling.getDescriptor()),
            Map.entry("policy/v1", V1Policy.getDescriptor()),
            Map.entry("rbac.authorization.k8s.io/v1", V1Rbac.getDescriptor()),
            Map.entry("authorization.k8s.io/v1", V1Authorization.getDescriptor()),
            Map.entry("authentication.k8s.io/v1", V1Authentication.getDescriptor()),
            Map.entry("certificates.k8s.io/v1", V1Certificates.getDescriptor()),
            Map.entry("networking.k8s.io/v1", V1Networking.getDescriptor()),
            Map.entry("storage.k8s.io/v1", V1Storage.getDescriptor()),
            Map.entry("scheduling.k8s.io/v1", V1Scheduling.getDescriptor()),
            Map.entry("admissionregistration.k8s.io/v1", V1Admissionregistration.getDescriptor()));

    /**
     * Option kinds live in meta/v1 but Go clients label them with whichever group-version they
     * talk to, so any apiVersion names the same message.
     */
    private static final Set<String> META_KINDS = Set.of("DeleteOptions");

    private MessageTypes() {}

    static Optional<Descriptor> find(String apiVersion, String kind) {
        if (META_KINDS.contains(kind)) {
            return Optional.of(Meta.getDescriptor().findMessageTypeByName(kind));
        }
        FileDescriptor file = BY_API_VERSION.get(apiVersion);
        if (file == null) {
            return Optional.empty();
        }
        Descriptor message = file.findMessageTypeByName(kind);
        return isKind(message) ? Optional.of(message) : Optional.empty();
    }

    /** Top-level objects carry metadata; messages without it are parts of objects, never request bodies. */
    private static boolean isKind(Descriptor message) {
        if (message == null) {
            return false;
        }
        FieldDescriptor metadata = message.findFieldByName("metadata");
        return metadata != null && metadata.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
    }
}
