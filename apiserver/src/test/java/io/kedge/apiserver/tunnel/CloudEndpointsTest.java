package io.kedge.apiserver.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kedge.api.Json;
import io.kedge.tunnel.ServiceTarget;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CloudEndpointsTest {
    private final Map<String, JsonNode> services = new HashMap<>();
    private final List<JsonNode> slices = new ArrayList<>();
    private final Map<String, JsonNode> nodes = new HashMap<>();
    private final Map<String, JsonNode> units = new HashMap<>();
    private CloudEndpoints endpoints;

    private static JsonNode json(String text) {
        return Json.parse(text.replace('\'', '"').getBytes(StandardCharsets.UTF_8), false);
    }

    @BeforeEach
    void cluster() {
        endpoints = new CloudEndpoints(new CloudEndpoints.Lookup() {
            @Override
            public Optional<JsonNode> service(String namespace, String name) {
                return Optional.ofNullable(services.get(namespace + "/" + name));
            }

            @Override
            public List<JsonNode> endpointSlices(String namespace, String service) {
                return slices.stream().filter(s -> s.path("metadata").path("namespace").asText().equals(namespace)
                        && s.path("metadata").path("labels").path("kubernetes.io/service-name").asText().equals(service)).toList();
            }

            @Override
            public Optional<JsonNode> node(String name) {
                return Optional.ofNullable(nodes.get(name));
            }

            @Override
            public Optional<JsonNode> edgeUnit(String name) {
                return Optional.ofNullable(units.get(name));
            }
        });
        units.put("cloud", json("{'metadata':{'name':'cloud'},'spec':{'type':'Cloud'}}"));
        units.put("east", json("{'metadata':{'name':'east'},'spec':{'type':'Edge'}}"));
        nodes.put("cloud-1", json("{'metadata':{'name':'cloud-1','labels':{'kedge.io/unit':'cloud'}}}"));
        nodes.put("cloud-2", json("{'metadata':{'name':'cloud-2','labels':{'kedge.io/unit':'cloud'}}}"));
        nodes.put("east-1", json("{'metadata':{'name':'east-1','labels':{'kedge.io/unit':'east'}}}"));
        nodes.put("loose", json("{'metadata':{'name':'loose'}}"));
        services.put("shop/api", json("{'spec':{'ports':[{'name':'http','port':80,'targetPort':'web'},"
                + "{'name':'metrics','port':9090}]}}"));
        services.put("shop/dns", json("{'spec':{'ports':[{'port':53,'protocol':'UDP'}]}}"));
        services.put("shop/plain", json("{'spec':{'ports':[{'port':5432}]}}"));
    }

    private void slice(String service, String ports, String endpointsJson) {
        slices.add(json("{'metadata':{'namespace':'shop','labels':{'kubernetes.io/service-name':'" + service + "'}},"
                + "'addressType':'IPv4','ports':" + ports + ",'endpoints':" + endpointsJson + "}"));
    }

    private CloudEndpoints.Resolution resolve(String service, int port) {
        return endpoints.resolve(new ServiceTarget("shop", service, port));
    }

    @Test
    void theServicePortResolvesByNameToTheReadyEndpointsOnCloudNodesOnly() {
        slice("api", "[{'name':'metrics','port':9100},{'name':'http','port':8080}]",
                "[{'addresses':['10.42.9.2'],'nodeName':'cloud-1','conditions':{'ready':true}},"
                        + "{'addresses':['10.42.9.3'],'nodeName':'cloud-2'},"
                        + "{'addresses':['10.42.9.4'],'nodeName':'cloud-2','conditions':{'ready':false}},"
                        + "{'addresses':['10.42.1.5'],'nodeName':'east-1','conditions':{'ready':true}},"
                        + "{'addresses':['10.42.1.6'],'nodeName':'loose','conditions':{'ready':true}}]");
        CloudEndpoints.Resolution r = resolve("api", 80);
        assertThat(r.found()).isTrue();
        assertThat(r.endpoints()).containsExactly(new InetSocketAddress("10.42.9.2", 8080), new InetSocketAddress("10.42.9.3", 8080));
        assertThat(resolve("api", 9090).endpoints()).containsExactly(new InetSocketAddress("10.42.9.2", 9100),
                new InetSocketAddress("10.42.9.3", 9100));
    }

    @Test
    void anUnnamedPortOfASinglePortServiceMatchesTheSlicesUnnamedPort() {
        slice("plain", "[{'port':15432,'protocol':'TCP'}]", "[{'addresses':['10.42.9.7'],'nodeName':'cloud-1'}]");
        assertThat(resolve("plain", 5432).endpoints()).containsExactly(new InetSocketAddress("10.42.9.7", 15432));
    }

    @Test
    void aServiceThatDoesNotExistIsRefused() {
        CloudEndpoints.Resolution r = resolve("gone", 80);
        assertThat(r.refusal()).isEqualTo(CloudEndpoints.Refusal.NO_SUCH_SERVICE);
        assertThat(r.reason()).isEqualTo("service \"shop/gone\" not found");
    }

    @Test
    void aPortTheServiceDoesNotHaveIsRefusedNamingItsPorts() {
        CloudEndpoints.Resolution r = resolve("api", 443);
        assertThat(r.refusal()).isEqualTo(CloudEndpoints.Refusal.NO_SUCH_PORT);
        assertThat(r.reason()).isEqualTo("service \"shop/api\" has no port 443 (its ports: [80, 9090])");
    }

    @Test
    void aUdpPortIsRefusedBecauseTheTunnelCarriesTcpOnly() {
        CloudEndpoints.Resolution r = resolve("dns", 53);
        assertThat(r.refusal()).isEqualTo(CloudEndpoints.Refusal.NOT_TCP);
        assertThat(r.reason()).contains("is UDP; the tunnel carries TCP only");
    }

    @Test
    void aPortNumberServedOnTcpAndUdpResolvesToItsTcpPort() {
        services.put("shop/resolver", json("{'spec':{'ports':[{'name':'dns-tcp','port':53,'protocol':'TCP'},"
                + "{'name':'dns','port':53,'protocol':'UDP'}]}}"));
        slice("resolver", "[{'name':'dns','port':5353,'protocol':'UDP'},{'name':'dns-tcp','port':5353,'protocol':'TCP'}]",
                "[{'addresses':['10.42.9.8'],'nodeName':'cloud-1'}]");
        assertThat(resolve("resolver", 53).endpoints()).containsExactly(new InetSocketAddress("10.42.9.8", 5353));
    }

    @Test
    void aServiceWhoseReadyEndpointsAreAllOnEdgeNodesIsRefused() {
        slice("api", "[{'name':'http','port':8080}]", "[{'addresses':['10.42.1.5'],'nodeName':'east-1'},"
                + "{'addresses':['10.42.9.4'],'nodeName':'cloud-2','conditions':{'ready':false}}]");
        CloudEndpoints.Resolution r = resolve("api", 80);
        assertThat(r.refusal()).isEqualTo(CloudEndpoints.Refusal.NO_CLOUD_ENDPOINTS);
        assertThat(r.reason()).isEqualTo("service \"shop/api\" has no ready endpoints for port 80 on cloud nodes"
                + " (nodes of a Cloud-type EdgeUnit); its 1 ready endpoint(s) run elsewhere");
    }

    @Test
    void aSliceWithoutTheServicePortsNameContributesNoEndpoints() {
        slice("api", "[{'name':'other','port':8080}]", "[{'addresses':['10.42.9.2'],'nodeName':'cloud-1'}]");
        assertThat(resolve("api", 80).refusal()).isEqualTo(CloudEndpoints.Refusal.NO_CLOUD_ENDPOINTS);
    }

    @Test
    void aNodeWhoseUnitHasNoEdgeUnitObjectIsNotACloudNode() {
        nodes.put("orphan", json("{'metadata':{'name':'orphan','labels':{'kedge.io/unit':'nowhere'}}}"));
        slice("api", "[{'name':'http','port':8080}]", "[{'addresses':['10.42.9.2'],'nodeName':'orphan'}]");
        assertThat(resolve("api", 80).refusal()).isEqualTo(CloudEndpoints.Refusal.NO_CLOUD_ENDPOINTS);
    }
}
