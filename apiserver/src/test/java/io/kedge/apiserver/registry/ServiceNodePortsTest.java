package io.kedge.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.ApiException;
import io.kedge.api.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ServiceNodePortsTest {
    private final NodePortAllocator nodePorts = new NodePortAllocator();
    private final Strategy services = BuiltinTypes.all(new ServiceIpAllocator("10.43.0.0/16"), nodePorts).stream()
            .filter(t -> t.plural().equals("services")).findFirst().orElseThrow().strategy();

    private static ObjectNode service(String name, String type, String ports) {
        return (ObjectNode) Json.parse(("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"shop\"},\"spec\":{\"type\":\"" + type + "\",\"ports\":" + ports + "}}")
                .getBytes(StandardCharsets.UTF_8), false);
    }

    private static int nodePort(ObjectNode svc, int index) {
        return svc.at("/spec/ports/" + index + "/nodePort").asInt();
    }

    @Test
    void aNodePortServiceGetsAFreePortInTheRangeForEachPort() {
        ObjectNode a = service("a", "NodePort", "[{\"port\":80},{\"port\":443}]");
        services.prepareForCreate(a);

        assertThat(nodePort(a, 0)).isBetween(30000, 32767);
        assertThat(nodePort(a, 1)).isBetween(30000, 32767).isNotEqualTo(nodePort(a, 0));
        ObjectNode clusterIp = service("b", "ClusterIP", "[{\"port\":80}]");
        services.prepareForCreate(clusterIp);
        assertThat(clusterIp.at("/spec/ports/0").has("nodePort")).isFalse();
    }

    @Test
    void aRequestedPortIsHonouredOnceAndOutOfRangeOrTakenIsInvalid() {
        ObjectNode a = service("a", "NodePort", "[{\"port\":80,\"nodePort\":30080}]");
        services.prepareForCreate(a);
        assertThat(nodePort(a, 0)).isEqualTo(30080);

        assertThatThrownBy(() -> services.prepareForCreate(service("b", "NodePort", "[{\"port\":80,\"nodePort\":30080}]")))
                .isInstanceOf(ApiException.class).hasMessageContaining("provided port is already allocated");
        assertThatThrownBy(() -> services.prepareForCreate(service("c", "NodePort", "[{\"port\":80,\"nodePort\":8080}]")))
                .isInstanceOf(ApiException.class).hasMessageContaining("30000-32767");
    }

    @Test
    void anUpdateThatLeavesThePortOutKeepsItAndARemovedPortOrTypeGivesItBack() {
        ObjectNode old = service("a", "NodePort", "[{\"port\":80},{\"port\":443}]");
        services.prepareForCreate(old);
        int http = nodePort(old, 0);
        int https = nodePort(old, 1);

        ObjectNode applied = service("a", "NodePort", "[{\"port\":80}]");
        services.prepareForUpdate(applied, old.deepCopy(), null);
        assertThat(nodePort(applied, 0)).isEqualTo(http);
        assertThat(nodePorts.reserve(https)).as("the removed port's node port is free again").isTrue();

        ObjectNode clusterIp = service("a", "ClusterIP", "[{\"port\":80}]");
        services.prepareForUpdate(clusterIp, applied.deepCopy(), null);
        assertThat(clusterIp.at("/spec/ports/0").has("nodePort")).isFalse();
        assertThat(nodePorts.reserve(http)).isTrue();
    }
}
