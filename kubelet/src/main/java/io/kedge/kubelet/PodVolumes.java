package io.kedge.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Path;
import java.util.Map;

/** Prepares a pod's volumes on the node's disk, where the container runtime mounts them from. */
public interface PodVolumes {
    /**
     * Makes (or refreshes) every volume of the pod and returns volume name to host path. Called
     * before the pod's containers are created, and again on later syncs so that configMap and
     * secret volumes follow their objects.
     */
    Map<String, Path> setUp(Pod pod) throws ContainerConfigException;

    /** Removes what {@link #setUp} made, once the pod's containers are gone. */
    void tearDown(String podUid);
}
