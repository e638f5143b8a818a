package io.kedge.netproxy.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceTableTest {
    static Service service(String name, String type, String clusterIp, String... portNames) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata()
                .withNewSpec().withType(type).withClusterIP(clusterIp).endSpec();
        int n = 0;
        for (String p : portNames) {
            b.editSpec().addToPorts(new ServicePortBuilder().withName(p).withProtocol("TCP").withPort(80 + n)
                    .withTargetPort(new IntOrString(p.isEmpty() ? "8080" : p)).withNodePort(30080 + n).build()).endSpec();
            n++;
        }
        return b.build();
    }

    static EndpointSlice slice(String service, String sliceName, String portName, int port, Object... addressAndReady) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace("default").withName(sliceName)
                .addToLabels(ServiceTable.SERVICE_NAME_LABEL, service).endMetadata().withAddressType("IPv4")
                .addNewPort().withName(portName).withProtocol("TCP").withPort(port).endPort();
        for (int i = 0; i < addressAndReady.length; i += 2) {
            b.addToEndpoints(new EndpointBuilder().withAddresses((String) addressAndReady[i]).withNewConditions()
                    .withReady((Boolean) addressAndReady[i + 1]).endConditions().build());
        }
        return b.build();
    }

    @Test
    void onlyEndpointsNotMarkedUnreadyAreUsed() {
        List<ProxiedPort> ports = ServiceTable.build(List.of(service("web", "ClusterIP", "10.43.0.20", "http")),
                List.of(slice("web", "web-1", "http", 8080, "10.42.1.5", true, "10.42.1.6", false, "10.42.1.7", null)));
        assertThat(ports).singleElement().satisfies(p -> {
            assertThat(p.endpoints()).containsExactly(new Endpoint("10.42.1.5", 8080), new Endpoint("10.42.1.7", 8080));
            assertThat(p.nodePort()).isZero();
            assertThat(p.affinitySeconds()).isZero();
        });
    }

    @Test
    void aNamedTargetPortTakesItsNumberFromTheSlicePortOfTheSameName() {
        Service svc = service("web", "NodePort", "10.43.0.20", "http", "metrics");
        List<ProxiedPort> ports = ServiceTable.build(List.of(svc), List.of(
                slice("web", "web-1", "http", 8080, "10.42.1.5", true),
                slice("web", "web-2", "metrics", 9090, "10.42.1.5", true),
                slice("web", "web-3", "http", 8081, "10.42.2.9", true)));
        assertThat(ports).extracting(ProxiedPort::portName).containsExactly("http", "metrics");
        assertThat(ports.get(0).endpoints()).containsExactly(new Endpoint("10.42.1.5", 8080), new Endpoint("10.42.2.9", 8081));
        assertThat(ports.get(0).nodePort()).isEqualTo(30080);
        assertThat(ports.get(1).endpoints()).containsExactly(new Endpoint("10.42.1.5", 9090));
        assertThat(ports.get(1).port()).isEqualTo(81);
    }

    @Test
    void headlessAndExternalNameServicesAreSkipped() {
        Service headless = service("db", "ClusterIP", "None", "pg");
        Service external = new ServiceBuilder(service("ext", "ExternalName", null, "http")).editSpec()
                .withExternalName("example.com").endSpec().build();
        assertThat(ServiceTable.build(List.of(headless, external), List.of(slice("db", "db-1", "pg", 5432, "10.42.1.5", true))))
                .isEmpty();
    }

    @Test
    void slicesOfOtherServicesAndIpv6SlicesAreIgnored() {
        EndpointSlice v6 = new EndpointSliceBuilder(slice("web", "web-v6", "http", 8080, "fd00::5", true)).withAddressType("IPv6").build();
        List<ProxiedPort> ports = ServiceTable.build(List.of(service("web", "ClusterIP", "10.43.0.20", "http")),
                List.of(v6, slice("other", "other-1", "http", 8080, "10.42.1.9", true)));
        assertThat(ports).singleElement().satisfies(p -> assertThat(p.endpoints()).isEmpty());
    }

    @Test
    void clientIpAffinityTakesItsTimeoutOrTheThreeHourDefault() {
        Service withTimeout = new ServiceBuilder(service("a", "ClusterIP", "10.43.0.21", "")).editSpec().withSessionAffinity("ClientIP")
                .withNewSessionAffinityConfig().withNewClientIP().withTimeoutSeconds(60).endClientIP().endSessionAffinityConfig()
                .endSpec().build();
        Service withDefault = new ServiceBuilder(service("b", "ClusterIP", "10.43.0.22", "")).editSpec().withSessionAffinity("ClientIP")
                .endSpec().build();
        assertThat(ServiceTable.build(List.of(withTimeout, withDefault), List.of())).extracting(ProxiedPort::affinitySeconds)
                .containsExactly(60, 10800);
    }
}
