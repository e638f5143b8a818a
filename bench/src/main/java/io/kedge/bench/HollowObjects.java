package io.kedge.bench;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Request bodies for hollow objects: shaped like what a Deployment and its kubelet-less pods look like,
 * written straight through the API. No node, controller or container ever acts on them.
 */
final class HollowObjects {
    static final int NAMESPACES = 100;
    private static final int PODS_PER_APP = 50;
    private static final int NODES = 500;

    private HollowObjects() {}

    static String namespace(String name) {
        return """
                {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%s"}}""".formatted(name);
    }

    /** A small ConfigMap (three short keys), the kind of object the write benchmarks create and update. */
    static String configMap(String name, String seq) {
        return """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s","labels":{"app":"bench"}},\
                "data":{"seq":"%s","mode":"benchmark","endpoint":"http://config.example.internal:8080/v1"}}"""
                .formatted(name, seq);
    }

    static String podNamespace(int index) {
        return "bench-%02d".formatted(index % NAMESPACES);
    }

    static String podName(int index) {
        return "pod-%06d".formatted(index);
    }

    /**
     * A pod of a Deployment bound to a node, with a port, resources, a probe, a mount, tolerations and
     * an owner reference. Sent it is about 1.2 KB; stored about 3.3 KB, once the server has added
     * defaults, a uid and managedFields (about half of it, as on a real cluster).
     */
    static String pod(int index) {
        int app = index / PODS_PER_APP;
        String hash = Integer.toHexString(0x5d8f9c7 + app);
        String rsName = "web-" + app + "-" + hash;
        String rsUid = UUID.nameUUIDFromBytes(rsName.getBytes(StandardCharsets.UTF_8)).toString();
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%1$s","namespace":"%2$s",\
                "labels":{"app":"web-%3$d","pod-template-hash":"%4$s","tier":"frontend","kedge.io/unit":"site-%5$d"},\
                "annotations":{"prometheus.io/scrape":"true","prometheus.io/port":"8080"},\
                "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"%6$s","uid":"%7$s",\
                "controller":true,"blockOwnerDeletion":true}]},\
                "spec":{"nodeName":"hollow-node-%8$03d","serviceAccountName":"default",\
                "containers":[{"name":"app","image":"registry.example.internal/shop/web:1.4.%3$d",\
                "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],\
                "resources":{"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"cpu":"500m","memory":"256Mi"}},\
                "volumeMounts":[{"name":"config","mountPath":"/etc/web","readOnly":true}],\
                "readinessProbe":{"httpGet":{"path":"/healthz","port":8080}}}],\
                "volumes":[{"name":"config","configMap":{"name":"web-config"}}],\
                "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute",\
                "tolerationSeconds":300},{"key":"node.kubernetes.io/unreachable","operator":"Exists",\
                "effect":"NoExecute","tolerationSeconds":300}]}}"""
                .formatted(podName(index), podNamespace(index), app, hash, app % 40, rsName, rsUid, index % NODES);
    }
}
