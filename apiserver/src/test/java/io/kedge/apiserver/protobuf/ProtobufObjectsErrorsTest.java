package io.kedge.apiserver.protobuf;

import static io.kedge.apiserver.protobuf.ProtobufBodies.body;
import static io.kedge.apiserver.protobuf.ProtobufBodies.goObjectMeta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.kedge.api.ApiException;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bodies the decoder must refuse: 415 for what has no schema here, 400 for broken bytes. */
class ProtobufObjectsErrorsTest {

    @Test
    void aGroupVersionWithoutDescriptorsIsUnsupportedMediaType() {
        ApiException e = failure(body("coordination.k8s.io/v1", "Lease", ByteString.EMPTY));

        assertThat(e.code()).isEqualTo(415);
        assertThat(e.getMessage()).isEqualTo(
                "protobuf bodies are not supported for coordination.k8s.io/v1 Lease; send application/json");
    }

    @Test
    void anUnknownKindOfAKnownGroupVersionIsUnsupportedMediaType() {
        ApiException e = failure(body("v1", "Frobnicator", ByteString.EMPTY));

        assertThat(e.code()).isEqualTo(415);
        assertThat(e.getMessage()).contains("v1 Frobnicator");
    }

    @Test
    void aMessageThatIsOnlyPartOfAnObjectIsNotAKind() {
        ApiException e = failure(body("v1", "PodSpec", ByteString.EMPTY));

        assertThat(e.code()).isEqualTo(415);
    }

    @Test
    void aBodyWithoutTheMagicPrefixIsABadRequest() {
        ApiException e = failure("{\"kind\":\"Namespace\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).contains("magic");
    }

    @Test
    void anEmptyBodyIsABadRequest() {
        assertThat(failure(new byte[0]).code()).isEqualTo(400);
    }

    @Test
    void aTruncatedEnvelopeIsABadRequest() {
        byte[] whole = body("v1", "Namespace", V1.Namespace.newBuilder().setMetadata(goObjectMeta("n", "")).build());

        ApiException e = failure(Arrays.copyOf(whole, whole.length - 3));

        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).contains("runtime.Unknown");
    }

    @Test
    void aTruncatedObjectIsABadRequestNamingTheKind() {
        ByteString object = V1Apps.Deployment.newBuilder().setMetadata(goObjectMeta("web", "")).build().toByteString();

        ApiException e = failure(body("apps/v1", "Deployment", object.substring(0, object.size() - 2)));

        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("the protobuf body is not a valid apps/v1 Deployment");
    }

    @Test
    void anEnvelopeWithoutKindIsABadRequest() {
        ApiException e = failure(body("v1", "", ByteString.EMPTY));

        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).contains("kind");
    }

    @Test
    void aCompressedEnvelopeIsUnsupported() {
        Runtime.Unknown gzipped = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("Namespace"))
                .setContentEncoding("gzip")
                .build();

        ApiException e = failure(framed(gzipped));

        assertThat(e.code()).isEqualTo(415);
        assertThat(e.getMessage()).contains("gzip");
    }

    @Test
    void aRawExtensionThatIsNeitherJsonNorProtobufIsABadRequest() {
        V1Apps.ControllerRevision revision = V1Apps.ControllerRevision.newBuilder()
                .setMetadata(goObjectMeta("r", ""))
                .setData(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFrom(new byte[] {(byte) 0xd9, (byte) 0xd9, (byte) 0xf7, 1})))
                .build();

        ApiException e = failure(body("apps/v1", "ControllerRevision", revision));

        assertThat(e.code()).isEqualTo(400);
        assertThat(e.getMessage()).contains("RawExtension");
    }

    @Test
    void randomBytesAfterTheMagicFailAsBadRequestsOnly() {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            byte[] noise = new byte[random.nextInt(64)];
            random.nextBytes(noise);
            byte[] objectBody = body("apps/v1", "Deployment", ByteString.copyFrom(noise));
            byte[] envelopeBody = framed(noise);
            for (byte[] candidate : new byte[][] {objectBody, envelopeBody}) {
                try {
                    ProtobufObjects.decode(candidate);
                } catch (ApiException e) {
                    assertThat(e.code()).isIn(400, 415);
                }
            }
        }
    }

    private static ApiException failure(byte[] body) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> ProtobufObjects.decode(body));
        assertThat(e).as("decoding should have failed").isNotNull();
        return e;
    }

    private static byte[] framed(Runtime.Unknown unknown) {
        return framed(unknown.toByteArray());
    }

    private static byte[] framed(byte[] afterMagic) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(Envelope.MAGIC);
        out.writeBytes(afterMagic);
        return out.toByteArray();
    }
}
