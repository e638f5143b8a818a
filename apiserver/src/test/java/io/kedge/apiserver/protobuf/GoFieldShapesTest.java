package io.kedge.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import org.junit.jupiter.api.Test;

class GoFieldShapesTest {
    private static final List<FileDescriptor> FILES = List.of(V1.getDescriptor(), V1Apps.getDescriptor(),
            V1Batch.getDescriptor(), V1Autoscaling.getDescriptor(), V1Policy.getDescriptor(), V1Rbac.getDescriptor(),
            V1Authorization.getDescriptor(), V1Authentication.getDescriptor(), V1Certificates.getDescriptor(),
            V1Networking.getDescriptor(), V1Storage.getDescriptor(), V1Scheduling.getDescriptor(),
            V1Admissionregistration.getDescriptor(), Meta.getDescriptor());

    private final GoFieldShapes shapes = GoFieldShapes.load();

    @Test
    void pointerAndNonOmitemptyScalarsWriteZeros() {
        assertThat(shapes.writesZero(field(V1Apps.DeploymentSpec.getDescriptor(), "replicas"))).isTrue();
        assertThat(shapes.writesZero(field(V1.PodSpec.getDescriptor(), "automountServiceAccountToken"))).isTrue();
        assertThat(shapes.writesZero(field(V1.ContainerPort.getDescriptor(), "containerPort"))).isTrue();
        assertThat(shapes.writesZero(field(V1.ContainerPort.getDescriptor(), "hostPort"))).isFalse();
        assertThat(shapes.writesZero(field(Meta.ObjectMeta.getDescriptor(), "generation"))).isFalse();
    }

    @Test
    void embeddedStructsAndRenamedFieldsAreKnown() {
        assertThat(shapes.isInline(field(V1.Volume.getDescriptor(), "volumeSource"))).isTrue();
        assertThat(shapes.isInline(field(V1.Container.getDescriptor(), "securityContext"))).isFalse();
        assertThat(shapes.jsonName(field(V1Authentication.BoundObjectReference.getDescriptor(), "uID"))).isEqualTo("uid");
        assertThat(shapes.jsonName(field(V1.Pod.getDescriptor(), "spec"))).isEqualTo("spec");
    }

    /** A typo or a stale entry would silently fall back to the omitempty default. */
    @Test
    void everyEntryNamesAFieldOfTheDescriptors() {
        List<String> missing = shapes.allFieldNames().stream().filter(name -> descriptorField(name) == null).toList();

        assertThat(shapes.allFieldNames()).hasSizeGreaterThan(400);
        assertThat(missing).isEmpty();
    }

    private static FieldDescriptor descriptorField(String fullName) {
        int fieldDot = fullName.lastIndexOf('.');
        String message = fullName.substring(0, fieldDot);
        int messageDot = message.lastIndexOf('.');
        for (FileDescriptor file : FILES) {
            if (file.getPackage().equals(message.substring(0, messageDot))) {
                Descriptor type = file.findMessageTypeByName(message.substring(messageDot + 1));
                return type == null ? null : type.findFieldByName(fullName.substring(fieldDot + 1));
            }
        }
        return null;
    }

    private static FieldDescriptor field(Descriptor message, String name) {
        FieldDescriptor field = message.findFieldByName(name);
        assertThat(field).as(name).isNotNull();
        return field;
    }
}
