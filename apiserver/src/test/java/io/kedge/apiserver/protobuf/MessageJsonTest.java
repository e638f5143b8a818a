package io.kedge.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import io.kubernetes.client.proto.Meta;
import org.junit.jupiter.api.Test;

class MessageJsonTest {

    /** No served kind holds a metav1.Duration yet, so a test message stands in for one. */
    @Test
    void durationsBecomeGoDurationStrings() throws Exception {
        Descriptor holder = messageWithField(".k8s.io.apimachinery.pkg.apis.meta.v1.Duration");
        DynamicMessage message = DynamicMessage.newBuilder(holder)
                .setField(holder.findFieldByName("value"), Meta.Duration.newBuilder().setDuration(5_400_000_000_000L).build())
                .build();

        var json = new MessageJson(GoFieldShapes.load(), (raw, where) -> null).object(message);

        assertThat(json.get("value").asText()).isEqualTo("1h30m0s");
    }

    @Test
    void fieldsUnknownToTheDescriptorAreReported() throws Exception {
        Descriptor holder = messageWithField(".k8s.io.apimachinery.pkg.apis.meta.v1.Duration");
        DynamicMessage message = DynamicMessage.parseFrom(holder, new byte[] {0x10, 0x05});
        MessageJson converter = new MessageJson(GoFieldShapes.load(), (raw, where) -> null);

        converter.object(message);

        assertThat(converter.unknownFields()).containsExactly("kedge.test.Holder#2");
    }

    private static Descriptor messageWithField(String typeName) throws Exception {
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("kedge/test/holder.proto")
                .setPackage("kedge.test")
                .addDependency(Meta.getDescriptor().getName())
                .addMessageType(DescriptorProto.newBuilder().setName("Holder")
                        .addField(FieldDescriptorProto.newBuilder().setName("value").setNumber(1)
                                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL)
                                .setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
                                .setTypeName(typeName)))
                .build();
        return FileDescriptor.buildFrom(file, new FileDescriptor[] {Meta.getDescriptor()}).findMessageTypeByName("Holder");
    }
}
