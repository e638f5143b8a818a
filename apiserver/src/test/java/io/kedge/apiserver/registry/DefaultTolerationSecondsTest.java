package io.kedge.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import org.junit.jupiter.api.Test;

class DefaultTolerationSecondsTest {
    private final ResourceType pods = BuiltinTypes.all(new ServiceIpAllocator("10.43.0.0/16")).stream()
            .filter(t -> t.plural().equals("pods")).findFirst().orElseThrow();

    private static ObjectNode pod(String tolerations) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree("{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"b\"}]"
                + (tolerations == null ? "" : ",\"tolerations\":" + tolerations) + "}}");
    }

    @Test
    void aNewPodToleratesNotReadyAndUnreachableForThreeHundredSeconds() throws Exception {
        ObjectNode pod = pod(null);
        new DefaultTolerationSeconds().admitCreate(pods, pod, null);
        assertThat(pod.path("spec").path("tolerations")).hasSize(2);
        assertThat(pod.path("spec").path("tolerations").findValuesAsText("key"))
                .containsExactly("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");
        assertThat(pod.path("spec").path("tolerations").get(0).path("tolerationSeconds").asLong()).isEqualTo(300);
    }

    @Test
    void aPodsOwnTolerationForATaintIsKept() throws Exception {
        ObjectNode pod = pod("[{\"key\":\"node.kubernetes.io/unreachable\",\"operator\":\"Exists\",\"effect\":\"NoExecute\",\"tolerationSeconds\":5}]");
        new DefaultTolerationSeconds().admitCreate(pods, pod, null);
        assertThat(pod.path("spec").path("tolerations")).hasSize(2);
        assertThat(pod.path("spec").path("tolerations").get(0).path("tolerationSeconds").asLong()).isEqualTo(5);
    }

    @Test
    void aTolerateEverythingTolerationNeedsNoDefaults() throws Exception {
        ObjectNode pod = pod("[{\"operator\":\"Exists\"}]");
        new DefaultTolerationSeconds().admitCreate(pods, pod, null);
        assertThat(pod.path("spec").path("tolerations")).hasSize(1);
    }
}
