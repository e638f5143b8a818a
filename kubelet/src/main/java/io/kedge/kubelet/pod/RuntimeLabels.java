package io.kedge.kubelet.pod;

/** The CRI labels and annotations that tie sandboxes and containers to their pod; upstream's keys, so tools such as crictl show them. */
final class RuntimeLabels {
    static final String POD_NAME = "io.kubernetes.pod.name";
    static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    static final String POD_UID = "io.kubernetes.pod.uid";
    static final String CONTAINER_NAME = "io.kubernetes.container.name";

    static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
    static final String TERMINATION_MESSAGE_PATH = "io.kubernetes.container.terminationMessagePath";
    static final String TERMINATION_MESSAGE_POLICY = "io.kubernetes.container.terminationMessagePolicy";
    static final String TERMINATION_GRACE_PERIOD = "io.kubernetes.pod.terminationGracePeriod";
    /** The image as the pod spec names it; a changed spec image restarts the container. */
    static final String SPEC_IMAGE = "io.kedge.container.image";

    private RuntimeLabels() {
    }
}
