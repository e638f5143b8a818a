package io.kedge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UnitViewTest {
    private static final Map<String, String> UNITS = Map.of("east-1", "east", "east-2", "east", "west-1", "west", "sky-1", "sky");

    private static ObjectNode slice(String service) {
        return (ObjectNode) Json.parse(("{\"kind\":\"EndpointSlice\",\"metadata\":{\"name\":\"s\",\"namespace\":\"shop\","
                + "\"labels\":{\"kubernetes.io/service-name\":\"" + service + "\"}},\"endpoints\":["
                + "{\"addresses\":[\"10.0.0.1\"],\"nodeName\":\"east-1\"},{\"addresses\":[\"10.0.0.2\"],\"nodeName\":\"east-2\"},"
                + "{\"addresses\":[\"10.0.0.3\"],\"nodeName\":\"west-1\"},{\"addresses\":[\"10.0.0.4\"],\"nodeName\":\"sky-1\"},"
                + "{\"addresses\":[\"10.0.0.5\"],\"nodeName\":\"loose-1\"},{\"addresses\":[\"192.0.2.1\"]}]}")
                .getBytes(StandardCharsets.UTF_8), false);
    }

    private static List<String> served(UnitView view, String service) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : view.filter(slice(service)).path("endpoints")) {
            out.add(e.path("nodeName").asText("-"));
        }
        return out;
    }

    private static UnitView view(String node) {
        return new UnitView(node, UNITS, Set.of("sky"), Map.of("shop/local", "unit", "shop/mine", "node", "other/plain", "node"));
    }

    @Test
    void withoutTheAnnotationANodeReachesItsUnitCloudUnitsAndAddressesOnNoNode() {
        assertThat(served(view("east-1"), "plain")).containsExactly("east-1", "east-2", "sky-1", "-");
    }

    @Test
    void unitKeepsTheNodesUnitAndNodeKeepsTheNodeAlone() {
        assertThat(served(view("east-2"), "local")).containsExactly("east-1", "east-2");
        assertThat(served(view("east-2"), "mine")).containsExactly("east-2");
        assertThat(served(view("sky-1"), "local")).as("a Cloud unit is a unit like any other").containsExactly("sky-1");
    }

    @Test
    void aNodeInNoUnitIsUnconfinedWithoutTheAnnotationAndAUnitOfItsOwnWithIt() {
        assertThat(served(view("loose-1"), "plain")).containsExactly("east-1", "east-2", "west-1", "sky-1", "loose-1", "-");
        assertThat(served(view("loose-1"), "local")).containsExactly("loose-1");
    }

    @Test
    void aSliceWithNothingToDropIsServedAsItIs() {
        ObjectNode slice = slice("plain");
        UnitView unconfined = view("loose-1");
        assertThat(unconfined.filter(slice)).isSameAs(slice);
        assertThat(view("east-1").filter(slice)).isNotSameAs(slice);
        assertThat(slice.path("endpoints")).as("the cached slice is not changed").hasSize(6);
    }

    private static ObjectNode cloudSlice() {
        return (ObjectNode) Json.parse(("{\"kind\":\"EndpointSlice\",\"metadata\":{\"name\":\"s\",\"namespace\":\"shop\","
                + "\"labels\":{\"kubernetes.io/service-name\":\"erp\"}},\"ports\":[{\"name\":\"http\",\"port\":8080,\"protocol\":\"TCP\"},"
                + "{\"name\":\"dns\",\"port\":53,\"protocol\":\"UDP\"}],\"endpoints\":["
                + "{\"addresses\":[\"10.0.0.4\"],\"nodeName\":\"sky-1\",\"conditions\":{\"ready\":true}}]}")
                .getBytes(StandardCharsets.UTF_8), false);
    }

    private static UnitView withErp(String node) {
        return new UnitView(node, UNITS, Set.of("sky"), Map.of("shop/erp", "|http=80,dns=53,"));
    }

    @Test
    void aServiceOnlyInTheCloudIsServedAsTheNodesLocalRelayOfEachTcpPort() {
        CloudServices relay = (ns, svc, port) -> java.util.Optional.of(
                new java.net.InetSocketAddress("169.254.20.10", ns.equals("shop") && svc.equals("erp") && port == 80 ? 41000 : 1));

        ObjectNode served = withErp("east-1").filter(cloudSlice(), relay);

        assertThat(served.path("endpoints")).hasSize(1);
        assertThat(served.at("/endpoints/0/addresses/0").asText()).isEqualTo("169.254.20.10");
        assertThat(served.at("/endpoints/0/conditions/ready").asBoolean()).isTrue();
        assertThat(served.path("ports")).as("the UDP port has no relay").hasSize(1);
        assertThat(served.at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(served.at("/ports/0/port").asInt()).isEqualTo(41000);
    }

    @Test
    void aCloudNodeAndANodeWithoutARelayAreServedTheCloudEndpointsThemselves() {
        CloudServices relay = (ns, svc, port) -> java.util.Optional.of(new java.net.InetSocketAddress("169.254.20.10", 41000));

        assertThat(withErp("sky-1").filter(cloudSlice(), relay).at("/endpoints/0/addresses/0").asText()).isEqualTo("10.0.0.4");
        assertThat(withErp("east-1").filter(cloudSlice(), null).at("/endpoints/0/addresses/0").asText()).isEqualTo("10.0.0.4");
    }

    @Test
    void serviceFactsKeepTheModeAndThePortsByName() {
        ObjectNode svc = (ObjectNode) Json.parse(("{\"metadata\":{\"annotations\":{\"kedge.io/topology\":\"unit\"}},"
                + "\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":80},{\"port\":9090}]}}").getBytes(StandardCharsets.UTF_8), false);

        UnitView.ServiceFacts facts = UnitView.ServiceFacts.decode(UnitView.ServiceFacts.of(svc));

        assertThat(facts.mode()).isEqualTo("unit");
        assertThat(facts.ports()).containsEntry("http", 80).containsEntry("", 9090);
        assertThat(UnitView.ServiceFacts.decode("node").mode()).isEqualTo("node");
    }
}
