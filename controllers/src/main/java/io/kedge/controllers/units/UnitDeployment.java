package io.kedge.controllers.units;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** edge.kedge.io/v1alpha1 UnitDeployment, as the controllers read and write it. */
@Group(EdgeUnit.GROUP)
@Version("v1alpha1")
@Kind("UnitDeployment")
@Plural("unitdeployments")
@JsonDeserialize(using = JsonDeserializer.None.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UnitDeployment extends CustomResource<UnitDeployment.Spec, UnitDeployment.Status> implements Namespaced {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Spec {
        public List<String> units;
        public Template template;
        public List<UnitOverride> overrides;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Template {
        public ObjectMeta metadata;
        public DeploymentSpec spec;
    }

    /** One unit's differences from the template. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class UnitOverride {
        public String unit;
        public Integer replicas;
        public List<Image> images;
        /** RFC 6902 operations on the unit's Deployment. */
        public List<Map<String, Object>> patches;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Image {
        public String container;
        public String image;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Status {
        public Long observedGeneration;
        public Integer readyUnits;
        public List<UnitState> units = new ArrayList<>();
    }

    /**
     * @param replicas          the replicas the unit's Deployment wants
     * @param readyReplicas     its Ready pods
     * @param availableReplicas its pods Ready for minReadySeconds
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class UnitState {
        public String name;
        public String deployment;
        public Integer replicas;
        public Integer readyReplicas;
        public Integer availableReplicas;

        @java.lang.Override
        public boolean equals(Object o) {
            return o instanceof UnitState u && java.util.Objects.equals(name, u.name)
                    && java.util.Objects.equals(deployment, u.deployment) && java.util.Objects.equals(replicas, u.replicas)
                    && java.util.Objects.equals(readyReplicas, u.readyReplicas)
                    && java.util.Objects.equals(availableReplicas, u.availableReplicas);
        }

        @java.lang.Override
        public int hashCode() {
            return java.util.Objects.hash(name, deployment, replicas, readyReplicas, availableReplicas);
        }
    }
}
