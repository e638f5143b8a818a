package io.kedge.controllers.sets;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The stable identity of a StatefulSet's pods: name {@code <set>-<ordinal>}, hostname, subdomain, claims. */
final class StatefulPods {
    static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

    private StatefulPods() {}

    /** The pod's ordinal if its name is {@code <set>-<n>}, else -1. */
    static int ordinal(StatefulSet set, Pod pod) {
        String prefix = set.getMetadata().getName() + "-";
        String name = pod.getMetadata().getName();
        if (!name.startsWith(prefix)) {
            return -1;
        }
        String digits = name.substring(prefix.length());
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)
                || (digits.length() > 1 && digits.charAt(0) == '0')) {
            return -1;
        }
        return Integer.parseInt(digits);
    }

    static String name(StatefulSet set, int ordinal) {
        return set.getMetadata().getName() + "-" + ordinal;
    }

    static String revision(Pod pod) {
        return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(Revisions.POD_LABEL);
    }

    static Pod newPod(StatefulSet set, int ordinal, PodTemplateSpec template, String revisionName) {
        String name = name(set, ordinal);
        Map<String, String> labels = new LinkedHashMap<>();
        if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        labels.put(Revisions.POD_LABEL, revisionName);
        labels.put(POD_NAME_LABEL, name);
        labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
        PodSpec spec = Serialization.clone(template.getSpec());
        spec.setHostname(name);
        String service = set.getSpec().getServiceName();
        if (service != null && !service.isEmpty()) {
            spec.setSubdomain(service);
        }
        spec.setVolumes(withClaims(set, ordinal, spec.getVolumes()));
        Pod pod = new Pod();
        pod.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(set.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
                .withFinalizers(template.getMetadata() == null ? null : template.getMetadata().getFinalizers())
                .withOwnerReferences(Owned.reference(set)).build());
        pod.setSpec(spec);
        return pod;
    }

    /** {@code <claim>-<set>-<ordinal>}, the claim a pod's volume of a volumeClaimTemplate refers to. */
    static String claimName(StatefulSet set, PersistentVolumeClaim template, int ordinal) {
        return template.getMetadata().getName() + "-" + set.getMetadata().getName() + "-" + ordinal;
    }

    /** The pod's volumes with one per volumeClaimTemplate, replacing a template volume of the same name. */
    private static List<Volume> withClaims(StatefulSet set, int ordinal, List<Volume> volumes) {
        List<PersistentVolumeClaim> claims = set.getSpec().getVolumeClaimTemplates();
        List<Volume> out = new ArrayList<>(volumes == null ? List.of() : volumes);
        if (claims == null) {
            return out;
        }
        for (PersistentVolumeClaim claim : claims) {
            if (claim.getMetadata() == null || claim.getMetadata().getName() == null) {
                continue;
            }
            String volume = claim.getMetadata().getName();
            out.removeIf(v -> volume.equals(v.getName()));
            out.add(new VolumeBuilder().withName(volume).withNewPersistentVolumeClaim()
                    .withClaimName(claimName(set, claim, ordinal)).endPersistentVolumeClaim().build());
        }
        return out;
    }
}
