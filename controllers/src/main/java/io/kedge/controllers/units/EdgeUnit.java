package io.kedge.controllers.units;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** edge.kedge.io/v1alpha1 EdgeUnit, cluster-scoped, as the controllers read and write it. */
@Group(EdgeUnit.GROUP)
@Version("v1alpha1")
@Kind("EdgeUnit")
@Plural("edgeunits")
@JsonDeserialize(using = JsonDeserializer.None.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EdgeUnit extends CustomResource<EdgeUnit.Spec, EdgeUnit.Status> {
    public static final String GROUP = "edge.kedge.io";
    /** The node label that makes a node a member of a unit. */
    public static final String UNIT_LABEL = "kedge.io/unit";
    public static final String EDGE = "Edge";
    public static final String CLOUD = "Cloud";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Spec {
        public String type;
        public Map<String, String> labels;
        public Map<String, String> annotations;
        public List<Taint> taints;
        public String autonomy;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Status {
        public List<String> nodes = new ArrayList<>();
        public List<String> readyNodes = new ArrayList<>();
        public List<Condition> conditions = new ArrayList<>();
    }

    /** What the unit pushes to its members, never null, with absent fields empty. */
    Pushed push() {
        Spec s = getSpec();
        if (s == null) {
            return Pushed.NOTHING;
        }
        return new Pushed(s.labels == null ? Map.of() : new LinkedHashMap<>(s.labels),
                s.annotations == null ? Map.of() : new LinkedHashMap<>(s.annotations),
                s.taints == null ? List.of() : List.copyOf(s.taints));
    }
}
