package io.kedge.controllers.sets;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * ControllerRevisions: snapshots of a DaemonSet's or StatefulSet's pod template, numbered in the
 * order they were current. Their {@code data} is the patch that restores the template,
 * {@code {"spec":{"template":{..., "$patch":"replace"}}}}, which is what {@code kubectl rollout
 * undo} and {@code rollout history} read.
 */
final class Revisions {
    /** On DaemonSet pods and revisions (the hash), and StatefulSet pods (the revision name). */
    static final String POD_LABEL = "controller-revision-hash";
    /** On StatefulSet revisions. */
    static final String HASH_LABEL = "controller.kubernetes.io/hash";
    private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final int MAX_PREFIX = 223;

    private Revisions() {}

    static Object data(PodTemplateSpec template) {
        ObjectMapper mapper = Serialization.jsonMapper();
        ObjectNode t = mapper.valueToTree(template);
        t.put("$patch", "replace");
        ObjectNode root = mapper.createObjectNode();
        root.putObject("spec").set("template", t);
        return mapper.treeToValue(root, Map.class);
    }

    static PodTemplateSpec template(ControllerRevision r) {
        JsonNode t = Serialization.jsonMapper().valueToTree(r.getData()).path("spec").path("template");
        if (!t.isObject()) {
            throw new IllegalStateException("ControllerRevision " + r.getMetadata().getNamespace() + "/"
                    + r.getMetadata().getName() + " holds no spec.template in its data");
        }
        ObjectNode copy = (ObjectNode) t.deepCopy();
        copy.remove("$patch");
        return Serialization.jsonMapper().treeToValue(copy, PodTemplateSpec.class);
    }

    static boolean matches(ControllerRevision r, PodTemplateSpec template) {
        try {
            return canonical(template(r)).equals(canonical(template));
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /**
     * FNV-1a over the template in a canonical form (and the collision count, which moves the name
     * off a taken one), written in the consonant-and-digit alphabet that cannot spell words.
     */
    static String hash(PodTemplateSpec template, Integer collisionCount) {
        int h = 0x811c9dc5;
        String text = canonical(template) + (collisionCount == null ? "" : "#" + collisionCount);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        String digits = Long.toString(Integer.toUnsignedLong(h));
        StringBuilder out = new StringBuilder(digits.length());
        for (char c : digits.toCharArray()) {
            out.append(SAFE_ALPHABET.charAt(c % SAFE_ALPHABET.length()));
        }
        return out.toString();
    }

    static String name(HasMetadata owner, String hash) {
        String prefix = owner.getMetadata().getName();
        return (prefix.length() > MAX_PREFIX ? prefix.substring(0, MAX_PREFIX) : prefix) + "-" + hash;
    }

    /**
     * The revision of the owner's current template: an existing one that holds the same template
     * (renumbered to be the newest if it was not: a rollback), or a new one.
     *
     * @param hashLabel   the label the revision carries its hash in
     * @param annotations copied onto a new revision
     * @param onCollision called when the name is taken by a different template; it must bump the
     *                    owner's status.collisionCount. The reconcile is then retried.
     */
    static ControllerRevision ensure(KubernetesClient client, HasMetadata owner, PodTemplateSpec template,
                                     Integer collisionCount, List<ControllerRevision> owned, String hashLabel,
                                     Map<String, String> annotations, Runnable onCollision) {
        long newest = owned.stream().mapToLong(r -> r.getRevision() == null ? 0 : r.getRevision()).max().orElse(0);
        ControllerRevision match = owned.stream().filter(r -> matches(r, template))
                .max(Comparator.comparingLong(r -> r.getRevision() == null ? 0 : r.getRevision())).orElse(null);
        String ns = owner.getMetadata().getNamespace();
        if (match != null) {
            boolean newestAlready = match.getRevision() != null && match.getRevision() == newest
                    && owned.stream().filter(r -> r.getRevision() != null && r.getRevision() == newest).count() == 1;
            if (newestAlready) {
                return match;
            }
            return client.apps().controllerRevisions().inNamespace(ns).withName(match.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"revision\":" + (newest + 1) + "}");
        }
        String hash = hash(template, collisionCount);
        Map<String, String> labels = new LinkedHashMap<>();
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.put(hashLabel, hash);
        ControllerRevision revision = new ControllerRevisionBuilder()
                .withNewMetadata().withName(name(owner, hash)).withNamespace(ns).withLabels(labels)
                .withAnnotations(annotations == null || annotations.isEmpty() ? null : annotations)
                .withOwnerReferences(Owned.reference(owner)).endMetadata()
                .withData(data(template)).withRevision(newest + 1).build();
        try {
            return client.apps().controllerRevisions().inNamespace(ns).resource(revision).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            ControllerRevision taken = client.apps().controllerRevisions().inNamespace(ns).withName(revision.getMetadata().getName()).get();
            if (taken != null && matches(taken, template) && owns(owner, taken)) {
                return taken;
            }
            onCollision.run();
            throw new IllegalStateException("ControllerRevision name " + revision.getMetadata().getName()
                    + " is taken by another template; bumped collisionCount and will retry");
        }
    }

    /** Deletes the oldest revisions beyond the limit, never one that live pods or the status still use. */
    static void trim(KubernetesClient client, List<ControllerRevision> owned, int limit, Set<String> inUse) {
        List<ControllerRevision> old = new ArrayList<>();
        for (ControllerRevision r : owned) {
            if (!inUse.contains(r.getMetadata().getName())) {
                old.add(r);
            }
        }
        old.sort(Comparator.comparingLong(r -> r.getRevision() == null ? 0 : r.getRevision()));
        for (int i = 0; i < old.size() - Math.max(limit, 0); i++) {
            ControllerRevision r = old.get(i);
            client.apps().controllerRevisions().inNamespace(r.getMetadata().getNamespace())
                    .withName(r.getMetadata().getName()).delete();
        }
    }

    private static boolean owns(HasMetadata owner, ControllerRevision r) {
        var ref = Owned.controllerOf(r);
        return ref != null && owner.getMetadata().getUid().equals(ref.getUid());
    }

    /** JSON with object keys sorted, so that equal templates give equal text whatever order their maps have. */
    static String canonical(Object value) {
        StringBuilder out = new StringBuilder();
        write(Serialization.jsonMapper().valueToTree(value), out);
        return out.toString();
    }

    private static void write(JsonNode n, StringBuilder out) {
        if (n.isObject()) {
            out.append('{');
            boolean first = true;
            for (String name : new TreeSet<>(n.propertyNames())) {
                JsonNode v = n.get(name);
                if (v == null || v.isNull()) {
                    continue;
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append('"').append(name).append("\":");
                write(v, out);
            }
            out.append('}');
        } else if (n.isArray()) {
            out.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(n.get(i), out);
            }
            out.append(']');
        } else {
            out.append(n.toString());
        }
    }
}
