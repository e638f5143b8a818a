package io.kedge.kubelet.node;

import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeSystemInfoBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The node status the kubelet owns: resources, conditions, addresses, nodeInfo and the kubelet endpoint. */
final class NodeStatusFactory {
    private final MachineInfo machine;
    private final Map<String, Quantity> capacity;
    private final Map<String, Quantity> allocatable;
    private final String nodeName;

    NodeStatusFactory(MachineInfo machine, String nodeName) {
        this.machine = machine;
        this.capacity = NodeResources.capacity(machine);
        this.allocatable = NodeResources.allocatable(machine);
        this.nodeName = nodeName;
    }

    Map<String, Quantity> allocatable() {
        return allocatable;
    }

    NodeStatus status(List<NodeCondition> conditions, String internalIp, String runtimeVersion) {
        List<NodeAddress> addresses = new ArrayList<>();
        if (internalIp != null) {
            addresses.add(new NodeAddressBuilder().withType("InternalIP").withAddress(internalIp).build());
        }
        addresses.add(new NodeAddressBuilder().withType("Hostname").withAddress(nodeName).build());
        return new NodeStatusBuilder()
                .withCapacity(capacity)
                .withAllocatable(allocatable)
                .withConditions(conditions)
                .withAddresses(addresses)
                .withNewDaemonEndpoints().withNewKubeletEndpoint(NodeSettings.KUBELET_PORT).endDaemonEndpoints()
                .withNodeInfo(new NodeSystemInfoBuilder()
                        .withMachineID(machine.machineId()).withSystemUUID(machine.systemUuid()).withBootID(machine.bootId())
                        .withKernelVersion(machine.kernelVersion()).withOsImage(machine.osImage())
                        .withContainerRuntimeVersion(runtimeVersion == null ? "" : runtimeVersion)
                        .withKubeletVersion(NodeSettings.KUBELET_VERSION)
                        .withOperatingSystem("linux").withArchitecture(machine.architecture()).build())
                .build();
    }

    /** Whether the server's copy already says what {@code wanted} says, heartbeat times aside. */
    static boolean sameState(NodeStatus current, NodeStatus wanted) {
        return current != null
                && NodeConditions.sameState(current.getConditions(), wanted.getConditions())
                && sameQuantities(current.getCapacity(), wanted.getCapacity())
                && sameQuantities(current.getAllocatable(), wanted.getAllocatable())
                && Objects.equals(current.getAddresses(), wanted.getAddresses())
                && Objects.equals(current.getNodeInfo(), wanted.getNodeInfo())
                && Objects.equals(current.getDaemonEndpoints(), wanted.getDaemonEndpoints());
    }

    /** Ours must all be there with equal amounts; resources others added (e.g. extended resources) do not count. */
    private static boolean sameQuantities(Map<String, Quantity> current, Map<String, Quantity> wanted) {
        if (current == null) {
            return wanted == null || wanted.isEmpty();
        }
        for (var e : wanted.entrySet()) {
            Quantity q = current.get(e.getKey());
            if (q == null || q.compareTo(e.getValue()) != 0) {
                return false;
            }
        }
        return true;
    }
}
