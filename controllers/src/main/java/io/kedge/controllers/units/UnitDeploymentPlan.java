package io.kedge.controllers.units;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kedge.api.Json;
import io.kedge.api.patch.JsonPatch;
import io.kedge.api.patch.PatchException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The Deployment a UnitDeployment wants in one unit: the template, with the unit's overrides applied
 * (replicas, then images, then JSON patches), pinned to the unit's nodes and told apart from the other
 * units' Deployments by the label {@code kedge.io/unit}, which no patch can take away.
 */
final class UnitDeploymentPlan {
    /** A digest of what the controller last wrote: only a new digest is a reason to write again. */
    static final String HASH_ANNOTATION = "kedge.io/unit-deployment-hash";
    /** fabric8's own mapping: IntOrString and Quantity need its (de)serializers both ways. */
    private static final KubernetesSerialization MODEL = new KubernetesSerialization();

    private UnitDeploymentPlan() {}

    static String deploymentName(UnitDeployment ud, String unit) {
        return ud.getMetadata().getName() + "-" + unit;
    }

    /**
     * @throws PatchException when one of the unit's JSON patches does not apply
     * @throws IllegalArgumentException when the result is no Deployment
     */
    static Deployment desired(UnitDeployment ud, String unit) {
        UnitDeployment.Spec spec = ud.getSpec();
        ObjectNode doc = Json.object();
        doc.put("apiVersion", "apps/v1");
        doc.put("kind", "Deployment");
        ObjectNode meta = doc.putObject("metadata");
        if (spec.template != null && spec.template.metadata != null) {
            putMap(meta, "labels", spec.template.metadata.getLabels());
            putMap(meta, "annotations", spec.template.metadata.getAnnotations());
        }
        doc.set("spec", spec.template == null || spec.template.spec == null
                ? Json.object() : modelTree(spec.template.spec));

        UnitDeployment.UnitOverride o = overrideFor(spec, unit);
        if (o != null) {
            if (o.replicas != null) {
                ((ObjectNode) doc.get("spec")).put("replicas", o.replicas);
            }
            if (o.images != null) {
                JsonNode podSpec = doc.path("spec").path("template").path("spec");
                for (UnitDeployment.Image image : o.images) {
                    for (String list : List.of("initContainers", "containers")) {
                        for (JsonNode c : podSpec.path(list)) {
                            if (c instanceof ObjectNode container && image.container != null
                                    && image.container.equals(container.path("name").asText())) {
                                container.put("image", image.image);
                            }
                        }
                    }
                }
            }
            if (o.patches != null && !o.patches.isEmpty()) {
                JsonNode patched = JsonPatch.apply(doc, Json.MAPPER.valueToTree(o.patches));
                if (!(patched instanceof ObjectNode p)) {
                    throw new IllegalArgumentException("the JSON patches for unit " + unit + " leave no Deployment object");
                }
                doc = p;
            }
        }
        pinToUnit(doc, unit);
        ObjectNode metadata = (ObjectNode) doc.get("metadata");
        metadata.put("name", deploymentName(ud, unit));
        metadata.put("namespace", ud.getMetadata().getNamespace());
        metadata.remove(List.of("ownerReferences", "resourceVersion", "uid", "generation", "creationTimestamp"));
        doc.put("apiVersion", "apps/v1");
        doc.put("kind", "Deployment");
        doc.remove("status");
        Deployment d;
        try {
            d = MODEL.unmarshal(doc.toString(), Deployment.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the Deployment for unit " + unit + " is malformed: " + e.getMessage(), e);
        }
        d.getMetadata().getAnnotations().put(HASH_ANNOTATION, digest(doc));
        d.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion(ud.getApiVersion())
                .withKind(ud.getKind()).withName(ud.getMetadata().getName()).withUid(ud.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build()));
        return d;
    }

    private static JsonNode modelTree(Object model) {
        try {
            return Json.MAPPER.readTree(MODEL.asJson(model));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the template cannot be read back: " + e.getMessage(), e);
        }
    }

    static UnitDeployment.UnitOverride overrideFor(UnitDeployment.Spec spec, String unit) {
        if (spec.overrides == null) {
            return null;
        }
        return spec.overrides.stream().filter(o -> unit.equals(o.unit)).findFirst().orElse(null);
    }

    /** The unit's label on the Deployment, its selector and its pods, and the unit's nodeSelector merged into the pods'. */
    private static void pinToUnit(ObjectNode doc, String unit) {
        ObjectNode metadata = object(doc, "metadata");
        object(metadata, "labels").put(EdgeUnit.UNIT_LABEL, unit);
        object(metadata, "annotations");
        ObjectNode spec = object(doc, "spec");
        object(object(spec, "selector"), "matchLabels").put(EdgeUnit.UNIT_LABEL, unit);
        ObjectNode template = object(spec, "template");
        object(object(template, "metadata"), "labels").put(EdgeUnit.UNIT_LABEL, unit);
        object(object(template, "spec"), "nodeSelector").put(EdgeUnit.UNIT_LABEL, unit);
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n instanceof ObjectNode o) {
            return o;
        }
        return parent.putObject(field);
    }

    private static void putMap(ObjectNode parent, String field, Map<String, String> m) {
        if (m != null && !m.isEmpty()) {
            parent.set(field, Json.MAPPER.valueToTree(m));
        }
    }

    static String digest(JsonNode doc) {
        try {
            byte[] bytes = MessageDigest.getInstance("SHA-256").digest(doc.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(bytes, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
