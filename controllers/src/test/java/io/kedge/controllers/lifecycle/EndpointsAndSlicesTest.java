package io.kedge.controllers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kedge.controllers.framework.ControllerContext;
import io.kedge.controllers.testing.HollowNodes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EndpointsAndSlicesTest {
    private static final String NS = "endpoints-test";
    private static KubernetesClient client;
    private static HollowNodes nodes;
    private static RunningControllers controllers;

    @BeforeAll
    static void start() throws Exception {
        client = SharedTestServer.client();
        TestObjects.namespace(client, NS);
        nodes = new HollowNodes(client, HollowNodes.Spec.of("ep-test", 2)).start();
        controllers = RunningControllers.start(client, ControllerContext.Options.defaults(),
                EndpointsController::create, EndpointSliceController::create);
    }

    @AfterAll
    static void stop() {
        controllers.close();
        nodes.close();
    }

    @Test
    void endpointsAndSlicesFollowPodReadiness() throws Exception {
        client.services().resource(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName("web")
                .withLabels(Map.of("tier", "front")).endMetadata()
                .withNewSpec().withSelector(Map.of("app", "web"))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
                .addNewPort().withName("metrics").withPort(9090).withTargetPort(new IntOrString(9090)).endPort()
                .endSpec().build()).create();
        List<String> names = nodes.names().stream().sorted().toList();
        client.pods().resource(TestObjects.pod(NS, "web-1", names.get(0), Map.of("app", "web"))).create();
        client.pods().resource(TestObjects.pod(NS, "web-2", names.get(1), Map.of("app", "web"))).create();
        // bound to a node no kubelet serves: never gets an IP, so never an endpoint
        client.pods().resource(TestObjects.pod(NS, "web-3", "nowhere", Map.of("app", "web"))).create();
        client.pods().resource(TestObjects.pod(NS, "other", names.get(0), Map.of("app", "other"))).create();

        Await.until("two ready addresses", () -> readyAddresses("web").size() == 2);
        Endpoints endpoints = client.endpoints().inNamespace(NS).withName("web").get();
        assertThat(endpoints.getMetadata().getLabels()).containsEntry("tier", "front");
        assertThat(endpoints.getSubsets()).hasSize(1);
        assertThat(endpoints.getSubsets().get(0).getPorts()).extracting(EndpointPort::getName, EndpointPort::getPort)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("http", 8080),
                        org.assertj.core.groups.Tuple.tuple("metrics", 9090));
        assertThat(endpoints.getSubsets().get(0).getAddresses())
                .extracting(a -> a.getTargetRef().getName(), EndpointAddress::getNodeName)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("web-1", names.get(0)),
                        org.assertj.core.groups.Tuple.tuple("web-2", names.get(1)));
        Await.until("a slice with both endpoints ready", () -> sliceEndpoints("web").stream()
                .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady())).count() == 2);
        EndpointSlice slice = slices("web").get(0);
        assertThat(slice.getMetadata().getLabels())
                .containsEntry("kubernetes.io/service-name", "web")
                .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
                .containsEntry("tier", "front");
        assertThat(slice.getAddressType()).isEqualTo("IPv4");
        assertThat(slice.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("Service"));
        assertThat(sliceEndpoints("web")).extracting(e -> e.getTargetRef().getName(), Endpoint::getNodeName)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("web-1", names.get(0)),
                        org.assertj.core.groups.Tuple.tuple("web-2", names.get(1)));

        client.pods().inNamespace(NS).withName("web-2").editStatus(p -> {
            for (PodCondition c : p.getStatus().getConditions()) {
                if (c.getType().equals("Ready") || c.getType().equals("ContainersReady")) {
                    c.setStatus("False");
                }
            }
            return p;
        });

        Await.until("web-2 not ready", () -> {
            Endpoints e = client.endpoints().inNamespace(NS).withName("web").get();
            return e.getSubsets().size() == 1 && e.getSubsets().get(0).getNotReadyAddresses().size() == 1
                    && e.getSubsets().get(0).getNotReadyAddresses().get(0).getTargetRef().getName().equals("web-2");
        });
        assertThat(readyAddresses("web")).extracting(a -> a.getTargetRef().getName()).containsExactly("web-1");
        Await.until("web-2's slice endpoint not ready", () -> sliceEndpoints("web").stream()
                .anyMatch(e -> e.getTargetRef().getName().equals("web-2") && Boolean.FALSE.equals(e.getConditions().getReady())));
        Endpoint web2 = sliceEndpoints("web").stream().filter(e -> e.getTargetRef().getName().equals("web-2")).findFirst().orElseThrow();
        assertThat(web2.getConditions().getServing()).isFalse();
        assertThat(web2.getConditions().getTerminating()).isFalse();
    }

    @Test
    void reconcilingAgainWithNothingChangedWritesNothing() throws Exception {
        client.services().resource(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName("steady").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "steady"))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort().endSpec().build()).create();
        client.pods().resource(TestObjects.pod(NS, "steady-1", nodes.names().get(0), Map.of("app", "steady"))).create();
        Await.until("steady's endpoints and slice", () -> readyAddresses("steady").size() == 1 && sliceEndpoints("steady").size() == 1);
        String endpointsVersion = client.endpoints().inNamespace(NS).withName("steady").get().getMetadata().getResourceVersion();
        String sliceVersion = slices("steady").get(0).getMetadata().getResourceVersion();

        // a change to the Service that does not matter to its endpoints makes both controllers look again
        client.services().inNamespace(NS).withName("steady").edit(svc -> {
            svc.getMetadata().setAnnotations(Map.of("note", "touched"));
            return svc;
        });
        client.services().resource(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName("steady-marker").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "steady-marker")).addNewPort().withPort(80).endPort().endSpec().build()).create();
        Await.until("the marker's endpoints and slice", () -> client.endpoints().inNamespace(NS).withName("steady-marker").get() != null
                && !slices("steady-marker").isEmpty());

        assertThat(client.endpoints().inNamespace(NS).withName("steady").get().getMetadata().getResourceVersion())
                .isEqualTo(endpointsVersion);
        assertThat(slices("steady")).singleElement()
                .satisfies(slice -> assertThat(slice.getMetadata().getResourceVersion()).isEqualTo(sliceVersion));
    }

    @Test
    void aHeadlessServiceWithoutPortsListsItsPodsWithoutPorts() throws Exception {
        client.services().resource(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName("db").endMetadata()
                .withNewSpec().withClusterIP("None").withSelector(Map.of("app", "db")).endSpec().build()).create();
        client.pods().resource(TestObjects.pod(NS, "db-0", nodes.names().get(0), Map.of("app", "db"))).create();

        Await.until("the db pod listed", () -> readyAddresses("db").size() == 1);
        Endpoints endpoints = client.endpoints().inNamespace(NS).withName("db").get();
        assertThat(endpoints.getSubsets().get(0).getPorts()).isEmpty();
        assertThat(endpoints.getMetadata().getLabels()).containsEntry("service.kubernetes.io/headless", "");
        Await.until("the db slice", () -> sliceEndpoints("db").size() == 1);
        assertThat(slices("db").get(0).getMetadata().getLabels()).containsEntry("service.kubernetes.io/headless", "");
        assertThat(slices("db").get(0).getPorts()).isEmpty();
    }

    @Test
    void deletingTheServiceDeletesItsEndpointsAndSlices() throws Exception {
        client.services().resource(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName("gone").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "gone")).addNewPort().withPort(80).endPort().endSpec().build()).create();
        Await.until("endpoints and a slice exist", () -> client.endpoints().inNamespace(NS).withName("gone").get() != null
                && !slices("gone").isEmpty());

        client.services().inNamespace(NS).withName("gone").delete();

        Await.until("endpoints and slices deleted", () -> client.endpoints().inNamespace(NS).withName("gone").get() == null
                && slices("gone").isEmpty());
    }

    @Test
    void servicesWithoutASelectorKeepTheEndpointsTheyWereGiven() throws Exception {
        client.services().resource(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName("external").endMetadata()
                .withNewSpec().addNewPort().withPort(5432).endPort().endSpec().build()).create();
        Endpoints manual = client.endpoints().resource(new EndpointsBuilder().withNewMetadata().withNamespace(NS)
                .withName("external").endMetadata().addNewSubset().addNewAddress().withIp("198.51.100.7").endAddress()
                .addNewPort().withPort(5432).endPort().endSubset().build()).create();
        // a later Service the controllers do handle: once its endpoints exist, the earlier one was seen too
        client.services().resource(new ServiceBuilder().withNewMetadata().withNamespace(NS).withName("marker").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "marker")).addNewPort().withPort(80).endPort().endSpec().build()).create();
        Await.until("the marker's endpoints and slice", () -> client.endpoints().inNamespace(NS).withName("marker").get() != null
                && !slices("marker").isEmpty());

        Endpoints after = client.endpoints().inNamespace(NS).withName("external").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(manual.getMetadata().getResourceVersion());
        assertThat(slices("external")).isEmpty();
    }

    private static List<EndpointAddress> readyAddresses(String service) {
        Endpoints e = client.endpoints().inNamespace(NS).withName(service).get();
        if (e == null || e.getSubsets().isEmpty()) {
            return List.of();
        }
        return e.getSubsets().stream().flatMap(s -> s.getAddresses().stream()).toList();
    }

    private static List<EndpointSlice> slices(String service) {
        return client.discovery().v1().endpointSlices().inNamespace(NS).withLabel("kubernetes.io/service-name", service)
                .list().getItems();
    }

    private static List<Endpoint> sliceEndpoints(String service) {
        return slices(service).stream().flatMap(s -> s.getEndpoints().stream()).toList();
    }
}
