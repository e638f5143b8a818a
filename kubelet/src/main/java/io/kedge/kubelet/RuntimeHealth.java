package io.kedge.kubelet;

import java.util.Optional;

/** What the node status needs to know of the container runtime. */
public interface RuntimeHealth {
    /** For nodeInfo.containerRuntimeVersion, e.g. {@code containerd://1.6.20}; empty while unreachable. */
    Optional<String> runtimeVersion();

    /** Why the runtime cannot run pods right now (socket down, network not ready), or empty when it can. */
    Optional<String> problem();
}
