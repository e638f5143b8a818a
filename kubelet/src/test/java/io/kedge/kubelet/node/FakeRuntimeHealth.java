package io.kedge.kubelet.node;

import io.kedge.kubelet.RuntimeHealth;
import java.util.Optional;

/** A test fake of the container runtime's health: up with a fixed version, or down with a given problem. */
final class FakeRuntimeHealth implements RuntimeHealth {
    private volatile String problem;

    void down(String why) {
        problem = why;
    }

    void up() {
        problem = null;
    }

    @Override
    public Optional<String> runtimeVersion() {
        return problem == null ? Optional.of("containerd://1.6.20") : Optional.empty();
    }

    @Override
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }
}
