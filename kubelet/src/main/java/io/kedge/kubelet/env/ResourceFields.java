package io.kedge.kubelet.env;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.kedge.kubelet.ContainerConfigException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The container resources a {@code resourceFieldRef} may name, as the whole number of divisors
 * that covers them (rounded up). A limit the container does not set is the node's allocatable
 * amount, as upstream; a request it does not set is its limit when it has one (the API defaults
 * requests from limits), else zero.
 */
public final class ResourceFields {
    private ResourceFields() {
    }

    /**
     * @param defaultContainer the container whose resources are meant when the selector names none
     *                         (env); null where a selector must name one (downward API volumes)
     */
    public static String value(Pod pod, String defaultContainer, ResourceFieldSelector selector,
                               Map<String, Quantity> nodeAllocatable) throws ContainerConfigException {
        String resource = selector.getResource();
        if (resource == null || resource.isEmpty()) {
            throw new ContainerConfigException("resourceFieldRef has no resource");
        }
        String containerName = selector.getContainerName() == null || selector.getContainerName().isEmpty()
                ? defaultContainer : selector.getContainerName();
        if (containerName == null) {
            throw new ContainerConfigException("resourceFieldRef " + resource + " needs a containerName");
        }
        Container container = findContainer(pod, containerName);
        int dot = resource.indexOf('.');
        String kind = dot < 0 ? "" : resource.substring(0, dot);
        String name = dot < 0 ? resource : resource.substring(dot + 1);
        if (!(kind.equals("limits") || kind.equals("requests"))
                || !(name.equals("cpu") || name.equals("memory") || name.equals("ephemeral-storage"))) {
            throw new ContainerConfigException("unsupported container resource: " + resource);
        }
        Quantity limit = amount(container.getResources() == null ? null : container.getResources().getLimits(), name);
        Quantity amount;
        if (kind.equals("limits")) {
            amount = limit != null ? limit : nodeAllocatable.get(name);
        } else {
            Quantity request = amount(container.getResources() == null ? null : container.getResources().getRequests(), name);
            amount = request != null ? request : limit;
        }
        BigDecimal divisor = divisor(selector.getDivisor(), resource);
        BigDecimal value = amount == null ? BigDecimal.ZERO : numeric(amount, resource);
        return value.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    private static Container findContainer(Pod pod, String name) throws ContainerConfigException {
        if (pod.getSpec() != null) {
            var all = Stream.concat(
                    pod.getSpec().getContainers() == null ? Stream.<Container>empty() : pod.getSpec().getContainers().stream(),
                    pod.getSpec().getInitContainers() == null ? Stream.<Container>empty() : pod.getSpec().getInitContainers().stream());
            var found = all.filter(c -> name.equals(c.getName())).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new ContainerConfigException("resourceFieldRef names container \"" + name + "\", which the pod does not have");
    }

    private static Quantity amount(Map<String, Quantity> resources, String name) {
        return resources == null ? null : resources.get(name);
    }

    private static BigDecimal divisor(Quantity q, String resource) throws ContainerConfigException {
        if (q == null || q.getAmount() == null || q.getAmount().isEmpty()) {
            return BigDecimal.ONE;
        }
        BigDecimal d = numeric(q, resource + " divisor");
        if (d.signum() <= 0) {
            throw new ContainerConfigException("resourceFieldRef " + resource + " has divisor " + q + ", which is not positive");
        }
        return d;
    }

    private static BigDecimal numeric(Quantity q, String what) throws ContainerConfigException {
        try {
            return q.getNumericalAmount();
        } catch (RuntimeException e) {
            throw new ContainerConfigException("resourceFieldRef " + what + ": " + q + " is not a quantity", e);
        }
    }
}
