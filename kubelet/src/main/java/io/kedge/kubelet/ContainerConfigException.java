package io.kedge.kubelet;

/**
 * A container cannot be configured from the pod spec as it stands: a referenced ConfigMap,
 * Secret or key is missing, or a volume cannot be prepared. The pod's status then shows the
 * upstream reason {@code CreateContainerConfigError} with this message, and the pod is retried.
 */
public class ContainerConfigException extends Exception {
    public ContainerConfigException(String message) {
        super(message);
    }

    public ContainerConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
