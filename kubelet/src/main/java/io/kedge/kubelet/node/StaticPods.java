package io.kedge.kubelet.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Static pods: each pod manifest (YAML or JSON) in {@code --pod-manifests} becomes a mirror pod in
 * the API, named {@code <name>-<node>}, bound to this node, owned by the Node, and annotated with
 * {@code kubernetes.io/config.mirror} (the manifest's hash), {@code kubernetes.io/config.hash} and
 * {@code kubernetes.io/config.source=file}. The pod workers then run it as any pod of the node.
 * A changed manifest replaces its mirror pod (the old one is deleted, the new one created once
 * the old is gone); a removed manifest deletes it. Mirror pods tolerate every NoExecute taint, as
 * upstream's static pods do, so that a NotReady node keeps its add-ons.
 */
final class StaticPods {
    private static final Logger LOG = LoggerFactory.getLogger(StaticPods.class);
    static final String MIRROR = "kubernetes.io/config.mirror";
    static final String HASH = "kubernetes.io/config.hash";
    static final String SOURCE = "kubernetes.io/config.source";

    private final KubernetesClient client;
    private final String nodeName;
    private final Path dir;
    /** Files already reported as unusable, with the content hash reported, so that each problem is logged once. */
    private final Map<Path, String> reported = new HashMap<>();

    StaticPods(KubernetesClient client, String nodeName, Path dir) {
        this.client = client;
        this.nodeName = nodeName;
        this.dir = dir;
    }

    void sync(Node node) {
        Map<String, Pod> desired = desired(node);
        Set<String> present = new HashSet<>();
        for (Pod pod : client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).list().getItems()) {
            Map<String, String> annotations = pod.getMetadata().getAnnotations();
            if (annotations == null || !annotations.containsKey(MIRROR) || !"file".equals(annotations.get(SOURCE))) {
                continue;
            }
            String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
            Pod wanted = desired.get(key);
            if (wanted != null && wanted.getMetadata().getAnnotations().get(MIRROR).equals(annotations.get(MIRROR))) {
                present.add(key);
            } else if (pod.getMetadata().getDeletionTimestamp() == null) {
                LOG.info("deleting mirror pod {}: its manifest {}", key, wanted == null ? "is gone" : "changed");
                client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
                present.add(key);
            } else {
                present.add(key);
            }
        }
        for (var e : desired.entrySet()) {
            if (present.contains(e.getKey())) {
                continue;
            }
            try {
                client.pods().inNamespace(e.getValue().getMetadata().getNamespace()).resource(e.getValue()).create();
                LOG.info("created mirror pod {}", e.getKey());
            } catch (KubernetesClientException ex) {
                if (ex.getCode() == 409) {
                    LOG.warn("mirror pod {} not created: a pod of that name, not a mirror of this manifest, exists", e.getKey());
                } else {
                    LOG.warn("couldn't create mirror pod {}: {}", e.getKey(), ex.getMessage());
                }
            }
        }
    }

    /** The mirror pods the manifests ask for, by namespace/name. */
    Map<String, Pod> desired(Node node) {
        Map<String, Pod> out = new LinkedHashMap<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.{yaml,yml,json}")) {
            entries.forEach(files::add);
        } catch (IOException e) {
            LOG.warn("couldn't list the pod manifests in {}: {}", dir, e.getMessage());
            return out;
        }
        files.sort(null);
        for (Path file : files) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                reportOnce(file, "", "couldn't read pod manifest " + file + ": " + e.getMessage());
                continue;
            }
            String hash = hash(bytes);
            Pod pod;
            try {
                pod = client.getKubernetesSerialization().unmarshal(new String(bytes, StandardCharsets.UTF_8), Pod.class);
            } catch (RuntimeException e) {
                reportOnce(file, hash, "pod manifest " + file + " is not a Pod: " + e.getMessage());
                continue;
            }
            if (pod == null || pod.getMetadata() == null || pod.getMetadata().getName() == null || pod.getSpec() == null) {
                reportOnce(file, hash, "pod manifest " + file + " needs metadata.name and spec");
                continue;
            }
            Pod mirror = mirror(pod, node, hash);
            out.put(mirror.getMetadata().getNamespace() + "/" + mirror.getMetadata().getName(), mirror);
        }
        return out;
    }

    private Pod mirror(Pod pod, Node node, String hash) {
        String namespace = pod.getMetadata().getNamespace() == null ? "default" : pod.getMetadata().getNamespace();
        List<Toleration> tolerations = new ArrayList<>(pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations());
        tolerations.add(new TolerationBuilder().withOperator("Exists").withEffect("NoExecute").build());
        return new PodBuilder(pod).editMetadata()
                .withName(pod.getMetadata().getName() + "-" + nodeName).withNamespace(namespace)
                .withUid(null).withResourceVersion(null)
                .addToAnnotations(SOURCE, "file").addToAnnotations(HASH, hash).addToAnnotations(MIRROR, hash)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node").withName(nodeName)
                        .withUid(node.getMetadata().getUid()).withController(true).build())
                .endMetadata()
                .editSpec().withNodeName(nodeName).withTolerations(tolerations).endSpec()
                .withStatus(null).build();
    }

    private void reportOnce(Path file, String hash, String message) {
        if (!hash.equals(reported.put(file, hash))) {
            LOG.warn(message);
        }
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
