package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The containers of one pod spec. One instance checks all of them, because names must be unique across
 * containers and init containers, and host ports across the pod.
 */
final class ContainerRules {
    static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    static final List<String> MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
    static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final List<String> ENV_SOURCES =
            List.of("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef");

    enum Role { REGULAR, INIT }

    private final ErrorCollector errs;
    private final Set<String> volumes;
    private final boolean isPod;
    private final boolean hostNetwork;
    private final Set<String> names = new HashSet<>();
    private final Set<String> hostPorts = new HashSet<>();

    ContainerRules(ErrorCollector errs, Set<String> volumes, boolean isPod, boolean hostNetwork) {
        this.errs = errs;
        this.volumes = volumes;
        this.isPod = isPod;
        this.hostNetwork = hostNetwork;
    }

    void validate(ObjectNode c, FieldPath p, Role role) {
        String name = errs.requiredString(c, "name", p, "");
        if (name != null) {
            errs.invalidEach(p.child("name"), name, Formats.dns1123Label(name));
            if (!names.add(name)) {
                errs.duplicate(p.child("name"), name);
            }
        }
        String image = errs.requiredString(c, "image", p, "");
        if (image != null && isPod && !image.equals(image.strip())) {
            errs.invalid(p.child("image"), image, "must not have leading or trailing whitespace");
        }
        enumField(c, "imagePullPolicy", p, PULL_POLICIES);
        enumField(c, "terminationMessagePolicy", p, MESSAGE_POLICIES);
        validateRestartPolicy(c, p, role);
        validatePorts(c, p, role);
        validateEnv(c, p);
        validateMounts(c, p);
        validateProbesAndHooks(c, p, role);
        ObjectNode resources = errs.object(c, "resources", p);
        if (resources != null) {
            ResourceRules.validate(resources, p.child("resources"), errs);
        }
    }

    /** A string enum the defaulter always fills: empty means Required, anything unknown NotSupported. */
    private void enumField(ObjectNode c, String field, FieldPath p, List<String> supported) {
        String v = errs.string(c, field, p);
        if (v == null || v.isEmpty()) {
            if (!c.hasNonNull(field) || c.get(field).isTextual()) {
                errs.required(p.child(field), "");
            }
        } else if (!supported.contains(v)) {
            errs.notSupported(p.child(field), v, supported);
        }
    }

    private void validateRestartPolicy(ObjectNode c, FieldPath p, Role role) {
        String policy = errs.string(c, "restartPolicy", p);
        if (policy == null) {
            return;
        }
        if (role == Role.REGULAR) {
            errs.forbidden(p.child("restartPolicy"), "may not be set for non-init containers");
        } else if (!policy.equals("Always")) {
            errs.notSupported(p.child("restartPolicy"), policy, List.of("Always"));
        }
    }

    private void validatePorts(ObjectNode c, FieldPath p, Role role) {
        Set<String> portNames = new HashSet<>();
        for (ErrorCollector.Indexed port : errs.objects(c, "ports", p)) {
            FieldPath pp = port.path();
            Integer containerPort = errs.int32(port.node(), "containerPort", pp);
            if (containerPort == null || containerPort == 0) {
                if (!port.node().hasNonNull("containerPort") || containerPort != null) {
                    errs.required(pp.child("containerPort"), "");
                }
            } else if (!Formats.isValidPort(containerPort)) {
                errs.invalid(pp.child("containerPort"), containerPort, Formats.PORT_RANGE_MESSAGE);
            }
            Integer hostPort = errs.int32(port.node(), "hostPort", pp);
            if (hostPort != null && hostPort != 0 && !Formats.isValidPort(hostPort)) {
                errs.invalid(pp.child("hostPort"), hostPort, Formats.PORT_RANGE_MESSAGE);
            }
            if (hostNetwork && hostPort != null && hostPort != 0 && containerPort != null
                    && !hostPort.equals(containerPort)) {
                errs.invalid(pp.child("hostPort"), hostPort, "must match `containerPort` when `hostNetwork` is true");
            }
            String protocol = errs.string(port.node(), "protocol", pp);
            if (protocol == null || protocol.isEmpty()) {
                errs.required(pp.child("protocol"), "");
            } else if (!PROTOCOLS.contains(protocol)) {
                errs.notSupported(pp.child("protocol"), protocol, PROTOCOLS);
            }
            String name = errs.string(port.node(), "name", pp);
            if (name != null && !name.isEmpty()) {
                errs.invalidEach(pp.child("name"), name, Formats.portName(name));
                if (!portNames.add(name)) {
                    errs.duplicate(pp.child("name"), name);
                }
            }
            String hostIP = errs.string(port.node(), "hostIP", pp);
            if (hostIP != null && !hostIP.isEmpty()) {
                errs.invalidEach(pp.child("hostIP"), hostIP, Formats.ip(hostIP));
            }
            if (role == Role.REGULAR && hostPort != null && hostPort != 0) {
                String key = hostPort + "/" + (protocol == null ? "TCP" : protocol)
                        + (hostIP == null || hostIP.isEmpty() ? "" : "/" + hostIP);
                if (!hostPorts.add(key)) {
                    errs.duplicate(pp.child("hostPort"), key);
                }
            }
        }
    }

    private void validateEnv(ObjectNode c, FieldPath p) {
        for (ErrorCollector.Indexed env : errs.objects(c, "env", p)) {
            FieldPath ep = env.path();
            String name = errs.requiredString(env.node(), "name", ep, "");
            if (name != null) {
                errs.invalidEach(ep.child("name"), name, Formats.envVarName(name));
            }
            ObjectNode from = errs.object(env.node(), "valueFrom", ep);
            if (from == null) {
                continue;
            }
            FieldPath fp = ep.child("valueFrom");
            String value = errs.string(env.node(), "value", ep);
            if (value != null && !value.isEmpty()) {
                errs.invalid(fp, "", "may not be specified when `value` is not empty");
            }
            List<String> present = ENV_SOURCES.stream().filter(from::hasNonNull).toList();
            if (present.isEmpty()) {
                errs.invalid(fp, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or "
                        + "`secretKeyRef`");
            } else if (present.size() > 1) {
                errs.invalid(fp, "", "may not have more than one field specified at a time");
            }
            ObjectNode fieldRef = errs.object(from, "fieldRef", fp);
            if (fieldRef != null) {
                errs.requiredString(fieldRef, "fieldPath", fp.child("fieldRef"), "");
            }
            ObjectNode resourceRef = errs.object(from, "resourceFieldRef", fp);
            if (resourceRef != null) {
                errs.requiredString(resourceRef, "resource", fp.child("resourceFieldRef"), "");
            }
            for (String ref : List.of("configMapKeyRef", "secretKeyRef")) {
                ObjectNode keyRef = errs.object(from, ref, fp);
                if (keyRef != null) {
                    errs.requiredString(keyRef, "key", fp.child(ref), "");
                }
            }
        }
        for (ErrorCollector.Indexed from : errs.objects(c, "envFrom", p)) {
            long sources = List.of("configMapRef", "secretRef").stream().filter(from.node()::hasNonNull).count();
            if (sources != 1) {
                errs.invalid(from.path(), "", "must specify exactly one of: `configMapRef` or `secretRef`");
            }
            String prefix = errs.string(from.node(), "prefix", from.path());
            if (prefix != null && !prefix.isEmpty()) {
                errs.invalidEach(from.path().child("prefix"), prefix, Formats.envVarName(prefix));
            }
        }
    }

    private void validateMounts(ObjectNode c, FieldPath p) {
        Set<String> mountPaths = new HashSet<>();
        for (ErrorCollector.Indexed m : errs.objects(c, "volumeMounts", p)) {
            FieldPath mp = m.path();
            String name = errs.requiredString(m.node(), "name", mp, "");
            if (name != null && !volumes.contains(name)) {
                errs.notFound(mp.child("name"), name);
            }
            String mountPath = errs.requiredString(m.node(), "mountPath", mp, "");
            if (mountPath != null && !mountPaths.add(mountPath)) {
                errs.invalid(mp.child("mountPath"), mountPath, "must be unique");
            }
            String subPath = errs.string(m.node(), "subPath", mp);
            if (subPath != null && !subPath.isEmpty()) {
                VolumeRules.validateRelativePath(subPath, mp.child("subPath"), errs);
            }
        }
    }

    private void validateProbesAndHooks(ObjectNode c, FieldPath p, Role role) {
        boolean sidecar = role == Role.INIT && "Always".equals(c.path("restartPolicy").asText(null));
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            ObjectNode node = errs.object(c, probe, p);
            if (node == null) {
                continue;
            }
            if (role == Role.INIT && !sidecar) {
                errs.forbidden(p.child(probe), "may not be set for init containers without restartPolicy=Always");
            } else {
                Handlers.validateProbe(node, p.child(probe), !probe.equals("readinessProbe"), errs);
            }
        }
        ObjectNode lifecycle = errs.object(c, "lifecycle", p);
        if (lifecycle != null) {
            if (role == Role.INIT && !sidecar) {
                errs.forbidden(p.child("lifecycle"), "may not be set for init containers without restartPolicy=Always");
                return;
            }
            for (String hook : List.of("postStart", "preStop")) {
                ObjectNode h = errs.object(lifecycle, hook, p.child("lifecycle"));
                if (h != null) {
                    Handlers.validateHook(h, p.child("lifecycle", hook), errs);
                }
            }
        }
    }

    /** Ephemeral containers are added through their own subresource; here only their names are kept unique. */
    void validateEphemeral(ObjectNode c, FieldPath p) {
        String name = errs.requiredString(c, "name", p, "");
        if (name != null && !names.add(name)) {
            errs.duplicate(p.child("name"), name);
        }
    }
}
