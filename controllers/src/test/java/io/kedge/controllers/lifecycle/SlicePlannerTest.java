package io.kedge.controllers.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlicePlannerTest {
    private final SlicePlanner planner = new SlicePlanner(new KubernetesSerialization());
    private final Service service = new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("web").withUid("svc-uid")
            .endMetadata().withNewSpec().withSelector(Map.of("app", "web")).withIpFamilies("IPv4")
            .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort().endSpec().build();

    @Test
    void manyPodsAreSpreadOverSlicesOfAtMostAHundred() {
        SlicePlanner.Plan plan = plan(pods(250, 8080), List.of());

        assertThat(plan.create()).extracting(s -> s.getEndpoints().size()).containsExactly(100, 100, 50);
        assertThat(plan.update()).isEmpty();
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.create().get(0).getMetadata().getGenerateName()).isEqualTo("web-");
        assertThat(plan.create().get(0).getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo("svc-uid"));
    }

    @Test
    void planningAgainstTheSlicesItMadeWritesNothing() {
        List<Pod> pods = pods(150, 8080);
        List<EndpointSlice> existing = stored(plan(pods, List.of()).create());

        assertThat(plan(pods, existing).isEmpty()).isTrue();
    }

    @Test
    void aPodChangeRewritesOnlyTheSliceHoldingIt() {
        List<Pod> pods = pods(150, 8080);
        List<EndpointSlice> existing = stored(plan(pods, List.of()).create());
        pods.get(120).getStatus().getConditions().get(0).setStatus("False");

        SlicePlanner.Plan plan = plan(pods, existing);

        assertThat(plan.create()).isEmpty();
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.update()).singleElement().satisfies(s -> assertThat(s.getEndpoints())
                .anyMatch(e -> e.getTargetRef().getName().equals("pod-120") && !e.getConditions().getReady()));
    }

    @Test
    void newPodsFillTheRoomLeftInExistingSlices() {
        List<EndpointSlice> existing = stored(plan(pods(130, 8080), List.of()).create());
        List<Pod> more = pods(160, 8080);

        SlicePlanner.Plan plan = plan(more, existing);

        assertThat(plan.create()).isEmpty();
        assertThat(plan.update()).singleElement().satisfies(s -> assertThat(s.getEndpoints()).hasSize(60));
    }

    @Test
    void podsWhoseNamedPortResolvesDifferentlyGetSlicesOfTheirOwn() {
        List<Pod> pods = new ArrayList<>(pods(2, 8080));
        pods.add(pod(7, 9000));

        SlicePlanner.Plan plan = plan(pods, List.of());

        assertThat(plan.create()).hasSize(2);
        assertThat(plan.create()).extracting(s -> s.getPorts().get(0).getPort()).containsExactlyInAnyOrder(8080, 9000);
    }

    @Test
    void aServiceWithoutPodsKeepsOneEmptySlice() {
        SlicePlanner.Plan first = plan(List.of(), List.of());
        assertThat(first.create()).singleElement().satisfies(s -> assertThat(s.getEndpoints()).isEmpty());

        List<EndpointSlice> existing = stored(first.create());
        assertThat(plan(List.of(), existing).isEmpty()).isTrue();

        // the placeholder has no ports and the pods' endpoints have: they get a slice of that shape instead
        SlicePlanner.Plan withPods = plan(pods(3, 8080), existing);
        assertThat(withPods.create()).singleElement().satisfies(s -> assertThat(s.getEndpoints()).hasSize(3));
        assertThat(withPods.delete()).singleElement().satisfies(s -> assertThat(s.getEndpoints()).isEmpty());
        assertThat(withPods.update()).isEmpty();
    }

    private SlicePlanner.Plan plan(List<Pod> pods, List<EndpointSlice> existing) {
        return planner.plan(service, SliceEndpoints.of(service, pods), existing);
    }

    /** The slices as the server would hold them after creating them. */
    private static List<EndpointSlice> stored(List<EndpointSlice> created) {
        List<EndpointSlice> out = new ArrayList<>();
        for (int i = 0; i < created.size(); i++) {
            EndpointSlice s = new EndpointSliceBuilder(created.get(i)).build();
            s.getMetadata().setName("web-" + i);
            s.getMetadata().setGeneration(1L);
            out.add(s);
        }
        return out;
    }

    private static List<Pod> pods(int n, int containerPort) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pods.add(pod(i, containerPort));
        }
        return pods;
    }

    private static Pod pod(int i, int containerPort) {
        return new PodBuilder().withNewMetadata().withNamespace("ns").withName("pod-" + i)
                .withUid("uid-" + i).withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().withNodeName("node-" + (i % 3)).addNewContainer().withName("c")
                .addNewPort().withName("http").withContainerPort(containerPort).endPort().endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.0." + (i / 250) + "." + (i % 250 + 1))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
    }
}
