package io.kedge.controllers.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.kedge.api.Json;
import io.kedge.api.patch.PatchException;
import org.junit.jupiter.api.Test;

class UnitDeploymentPlanTest {
    static UnitDeployment ud(String overrides) throws Exception {
        return Json.YAML.readValue("""
                apiVersion: edge.kedge.io/v1alpha1
                kind: UnitDeployment
                metadata: {name: echo, namespace: shop, uid: u-1}
                spec:
                  units: [east, west]
                  template:
                    metadata: {labels: {app: echo}, annotations: {team: edge}}
                    spec:
                      replicas: 2
                      selector: {matchLabels: {app: echo}}
                      strategy: {type: Recreate}
                      template:
                        metadata: {labels: {app: echo}}
                        spec:
                          nodeSelector: {disk: ssd}
                          restartPolicy: Always
                          dnsPolicy: ClusterFirst
                          containers:
                          - {name: web, image: "httpd:2.4", imagePullPolicy: IfNotPresent, terminationMessagePolicy: File}
                          - {name: side, image: busybox, imagePullPolicy: IfNotPresent, terminationMessagePolicy: File}
                """ + overrides, UnitDeployment.class);
    }

    @Test
    void eachUnitGetsADeploymentNamedForItPinnedToItsNodesAndControlledByTheUnitDeployment() throws Exception {
        Deployment d = UnitDeploymentPlan.desired(ud(""), "east");
        assertThat(d.getMetadata().getName()).isEqualTo("echo-east");
        assertThat(d.getMetadata().getNamespace()).isEqualTo("shop");
        assertThat(d.getMetadata().getLabels()).containsEntry("app", "echo").containsEntry("kedge.io/unit", "east");
        assertThat(d.getMetadata().getAnnotations()).containsEntry("team", "edge").containsKey(UnitDeploymentPlan.HASH_ANNOTATION);
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(d.getSpec().getTemplate().getSpec().getNodeSelector())
                .as("merged into the template's").containsEntry("disk", "ssd").containsEntry("kedge.io/unit", "east");
        assertThat(d.getSpec().getSelector().getMatchLabels()).containsEntry("app", "echo").containsEntry("kedge.io/unit", "east");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("kedge.io/unit", "east");
        OwnerReference ref = d.getMetadata().getOwnerReferences().get(0);
        assertThat(ref.getKind()).isEqualTo("UnitDeployment");
        assertThat(ref.getApiVersion()).isEqualTo("edge.kedge.io/v1alpha1");
        assertThat(ref.getUid()).isEqualTo("u-1");
        assertThat(ref.getController()).isTrue();
    }

    @Test
    void overridesChangeReplicasImagesAndAnythingAPatchReachesInTheirUnitOnly() throws Exception {
        UnitDeployment ud = ud("""
                  overrides:
                  - unit: west
                    replicas: 5
                    images: [{container: web, image: httpd:2.5}]
                    patches: [{op: add, path: /spec/template/spec/hostNetwork, value: true},
                              {op: replace, path: /spec/template/spec/nodeSelector, value: {disk: hdd}}]
                """);
        Deployment west = UnitDeploymentPlan.desired(ud, "west");
        Deployment east = UnitDeploymentPlan.desired(ud, "east");
        assertThat(west.getSpec().getReplicas()).isEqualTo(5);
        assertThat(west.getSpec().getTemplate().getSpec().getContainers()).extracting(Container::getImage)
                .containsExactly("httpd:2.5", "busybox");
        assertThat(west.getSpec().getTemplate().getSpec().getHostNetwork()).isTrue();
        assertThat(west.getSpec().getTemplate().getSpec().getNodeSelector())
                .as("a patch cannot take the Deployment out of its unit")
                .containsOnly(java.util.Map.entry("disk", "hdd"), java.util.Map.entry("kedge.io/unit", "west"));
        assertThat(east.getSpec().getReplicas()).isEqualTo(2);
        assertThat(east.getSpec().getTemplate().getSpec().getContainers()).extracting(Container::getImage)
                .containsExactly("httpd:2.4", "busybox");
    }

    @Test
    void theDigestIsStableAndFollowsTheUnitsDesiredState() throws Exception {
        String hash = UnitDeploymentPlan.desired(ud(""), "east").getMetadata().getAnnotations().get(UnitDeploymentPlan.HASH_ANNOTATION);
        assertThat(UnitDeploymentPlan.desired(ud(""), "east").getMetadata().getAnnotations())
                .containsEntry(UnitDeploymentPlan.HASH_ANNOTATION, hash);
        assertThat(UnitDeploymentPlan.desired(ud("  overrides: [{unit: east, replicas: 3}]\n"), "east").getMetadata()
                .getAnnotations().get(UnitDeploymentPlan.HASH_ANNOTATION)).isNotEqualTo(hash);
        assertThat(UnitDeploymentPlan.desired(ud("  overrides: [{unit: west, replicas: 3}]\n"), "east").getMetadata()
                .getAnnotations().get(UnitDeploymentPlan.HASH_ANNOTATION)).isEqualTo(hash);
    }

    @Test
    void aPatchThatDoesNotApplyIsAClearError() throws Exception {
        UnitDeployment ud = ud("  overrides: [{unit: east, patches: [{op: remove, path: /spec/paused}]}]\n");
        assertThatThrownBy(() -> UnitDeploymentPlan.desired(ud, "east")).isInstanceOf(PatchException.class)
                .hasMessageContaining("JSON patch operation 0");
    }

    @Test
    void quantitiesAndPercentagesInTheTemplateSurviveTheRoundTrip() throws Exception {
        UnitDeployment ud = ud("");
        ud.getSpec().template.spec.setStrategy(new io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder()
                .withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new io.fabric8.kubernetes.api.model.IntOrString("25%"))
                .withMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString(1)).endRollingUpdate().build());
        ud.getSpec().template.spec.getTemplate().getSpec().getContainers().get(0).setResources(
                new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                        .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("128Mi")).build());
        Deployment d = UnitDeploymentPlan.desired(ud, "east");
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal()).isEqualTo("25%");
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString())
                .isEqualTo("128Mi");
    }
}
