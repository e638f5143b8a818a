package io.kedge.controllers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointSubsetsTest {

    @Test
    void podsWhoseNamedPortDiffersLandInSeparateSubsets() {
        EndpointSubsets.Result r = EndpointSubsets.of(service(false), List.of(pod("a", 8080, true), pod("b", 9000, true),
                pod("c", 8080, true)));

        assertThat(r.subsets()).hasSize(2);
        assertThat(r.subsets()).extracting(s -> s.getPorts().get(0).getPort(), s -> s.getAddresses().size())
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(8080, 2), org.assertj.core.groups.Tuple.tuple(9000, 1));
    }

    @Test
    void unreadyPodsAreNotReadyAddressesUnlessTheServicePublishesThem() {
        List<Pod> pods = List.of(pod("a", 8080, true), pod("b", 8080, false));

        EndpointSubset strict = EndpointSubsets.of(service(false), pods).subsets().get(0);
        EndpointSubset published = EndpointSubsets.of(service(true), pods).subsets().get(0);

        assertThat(strict.getAddresses()).extracting(a -> a.getTargetRef().getName()).containsExactly("a");
        assertThat(strict.getNotReadyAddresses()).extracting(a -> a.getTargetRef().getName()).containsExactly("b");
        assertThat(published.getAddresses()).extracting(a -> a.getTargetRef().getName()).containsExactly("a", "b");
    }

    @Test
    void terminatingFinishedAndAddresslessPodsAreLeftOut() {
        Pod terminating = pod("t", 8080, true);
        terminating.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        Pod finished = pod("f", 8080, true);
        finished.getStatus().setPhase("Succeeded");
        Pod noIp = pod("n", 8080, true);
        noIp.getStatus().setPodIP(null);

        assertThat(EndpointSubsets.of(service(false), List.of(terminating, finished, noIp)).subsets()).isEmpty();
    }

    @Test
    void aPodWithoutTheNamedPortIsLeftOut() {
        Pod other = new PodBuilder(pod("x", 8080, true)).editSpec().editFirstContainer().editFirstPort().withName("grpc")
                .endPort().endContainer().endSpec().build();

        assertThat(EndpointSubsets.of(service(false), List.of(other)).subsets()).isEmpty();
    }

    @Test
    void moreThanAThousandAddressesAreCutReadyOnesFirst() {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < 990; i++) {
            pods.add(pod("r" + i, 8080, true));
        }
        for (int i = 0; i < 30; i++) {
            pods.add(pod("u" + i, 8080, false));
        }

        EndpointSubsets.Result r = EndpointSubsets.of(service(false), pods);

        assertThat(r.truncated()).isTrue();
        assertThat(r.subsets().get(0).getAddresses()).hasSize(990);
        assertThat(r.subsets().get(0).getNotReadyAddresses()).hasSize(10);
    }

    @Test
    void addressesComeSortedSoTheSamePodsGiveTheSameObject() {
        List<Pod> pods = List.of(pod("b", 8080, true), pod("a", 8080, true));

        List<EndpointAddress> addresses = EndpointSubsets.of(service(false), pods).subsets().get(0).getAddresses();

        assertThat(addresses).extracting(EndpointAddress::getIp).isSorted();
        assertThat(EndpointSubsets.of(service(false), List.of(pods.get(1), pods.get(0))).subsets())
                .isEqualTo(EndpointSubsets.of(service(false), pods).subsets());
    }

    private static Service service(boolean publishNotReady) {
        return new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("svc").endMetadata()
                .withNewSpec().withSelector(Map.of("app", "x")).withPublishNotReadyAddresses(publishNotReady)
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort().endSpec().build();
    }

    private static int ips;

    private static Pod pod(String name, int port, boolean ready) {
        ips++;
        return new PodBuilder().withNewMetadata().withNamespace("ns").withName(name).withUid("uid-" + name)
                .withLabels(Map.of("app", "x")).endMetadata()
                .withNewSpec().withNodeName("n1").addNewContainer().withName("c").addNewPort().withName("http")
                .withContainerPort(port).endPort().endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.1." + (ips / 250) + "." + (ips % 250 + 1))
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus().build();
    }
}
