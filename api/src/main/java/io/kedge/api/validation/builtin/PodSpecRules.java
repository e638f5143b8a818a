package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import io.kedge.api.validation.LabelRules;
import io.kedge.api.validation.Nodes;
import java.util.List;
import java.util.Set;

/** Validation of a pod spec, in a Pod or in a template. */
final class PodSpecRules {
    static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    static final List<String> UNSATISFIABLE_ACTIONS = List.of("DoNotSchedule", "ScheduleAnyway");
    private static final int MAX_NAMESERVERS = 3;
    private static final int MAX_SEARCHES = 32;

    private PodSpecRules() {}

    /**
     * @param isPod        a real pod (stricter on images) rather than a template
     * @param extraVolumes volume names provided from elsewhere (a StatefulSet's claim templates)
     */
    static void validate(ObjectNode spec, FieldPath path, boolean isPod, Set<String> extraVolumes,
                         ErrorCollector errs) {
        Set<String> volumes = VolumeRules.validate(spec, path, errs);
        volumes.addAll(extraVolumes);
        boolean hostNetwork = Boolean.TRUE.equals(errs.bool(spec, "hostNetwork", path));
        ContainerRules containers = new ContainerRules(errs, volumes, isPod, hostNetwork);
        List<ErrorCollector.Indexed> regular = errs.objects(spec, "containers", path);
        ArrayNode rawContainers = spec == null ? null : spec.get("containers") instanceof ArrayNode a ? a : null;
        if (spec == null || Nodes.isUnset(spec, "containers") || (rawContainers != null && rawContainers.isEmpty())) {
            errs.required(path.child("containers"), "");
        }
        regular.forEach(c -> containers.validate(c.node(), c.path(), ContainerRules.Role.REGULAR));
        errs.objects(spec, "initContainers", path)
                .forEach(c -> containers.validate(c.node(), c.path(), ContainerRules.Role.INIT));
        errs.objects(spec, "ephemeralContainers", path)
                .forEach(c -> containers.validateEphemeral(c.node(), c.path()));
        if (spec == null) {
            return;
        }
        requiredEnum(spec, "restartPolicy", path, RESTART_POLICIES, errs);
        requiredEnum(spec, "dnsPolicy", path, DNS_POLICIES, errs);
        validateDnsConfig(spec, path, errs);
        LabelRules.validateLabels(errs.stringMap(spec, "nodeSelector", path), path.child("nodeSelector"), errs);
        for (String field : List.of("serviceAccountName", "serviceAccount", "nodeName", "priorityClassName",
                "runtimeClassName")) {
            String v = errs.string(spec, field, path);
            if (v != null && !v.isEmpty()) {
                errs.invalidEach(path.child(field), v, Formats.dns1123Subdomain(v));
            }
        }
        for (String field : List.of("hostname", "subdomain")) {
            String v = errs.string(spec, field, path);
            if (v != null && !v.isEmpty()) {
                errs.invalidEach(path.child(field), v, Formats.dns1123Label(v));
            }
        }
        Long deadline = errs.int64(spec, "activeDeadlineSeconds", path);
        if (deadline != null && (deadline < 1 || deadline > Integer.MAX_VALUE)) {
            errs.invalid(path.child("activeDeadlineSeconds"), deadline, "must be between 1 and 2147483647, inclusive");
        }
        errs.int64(spec, "terminationGracePeriodSeconds", path);
        TolerationRules.validateTolerations(spec, path, errs);
        validateTopologySpread(spec, path, errs);
        for (ErrorCollector.Indexed secret : errs.objects(spec, "imagePullSecrets", path)) {
            errs.string(secret.node(), "name", secret.path());
        }
    }

    private static void requiredEnum(ObjectNode spec, String field, FieldPath path, List<String> supported,
                                     ErrorCollector errs) {
        String v = errs.string(spec, field, path);
        if (v == null || v.isEmpty()) {
            if (!spec.hasNonNull(field) || spec.get(field).isTextual()) {
                errs.required(path.child(field), "");
            }
        } else if (!supported.contains(v)) {
            errs.notSupported(path.child(field), v, supported);
        }
    }

    private static void validateDnsConfig(ObjectNode spec, FieldPath path, ErrorCollector errs) {
        ObjectNode config = errs.object(spec, "dnsConfig", path);
        if ("None".equals(spec.path("dnsPolicy").asText(null))) {
            List<String> servers = errs.stringList(config, "nameservers", path.child("dnsConfig"));
            if (config == null) {
                errs.required(path.child("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None");
            } else if (servers.isEmpty()) {
                errs.required(path.child("dnsConfig", "nameservers"),
                        "must provide at least one DNS nameserver when `dnsPolicy` is None");
            }
        }
        if (config == null) {
            return;
        }
        FieldPath cp = path.child("dnsConfig");
        List<String> servers = errs.stringList(config, "nameservers", cp);
        if (servers.size() > MAX_NAMESERVERS) {
            errs.invalid(cp.child("nameservers"), String.join(",", servers),
                    "must not have more than " + MAX_NAMESERVERS + " nameservers");
        }
        for (int i = 0; i < servers.size(); i++) {
            errs.invalidEach(cp.child("nameservers").index(i), servers.get(i), Formats.ip(servers.get(i)));
        }
        List<String> searches = errs.stringList(config, "searches", cp);
        if (searches.size() > MAX_SEARCHES) {
            errs.invalid(cp.child("searches"), String.join(",", searches),
                    "must not have more than " + MAX_SEARCHES + " search paths");
        }
    }

    private static void validateTopologySpread(ObjectNode spec, FieldPath path, ErrorCollector errs) {
        for (ErrorCollector.Indexed c : errs.objects(spec, "topologySpreadConstraints", path)) {
            Integer maxSkew = errs.int32(c.node(), "maxSkew", c.path());
            if (maxSkew == null || maxSkew <= 0) {
                errs.invalid(c.path().child("maxSkew"), maxSkew == null ? 0 : maxSkew, "must be greater than zero");
            }
            String key = errs.requiredString(c.node(), "topologyKey", c.path(), "can not be empty");
            if (key != null) {
                errs.invalidEach(c.path().child("topologyKey"), key, Formats.qualifiedName(key));
            }
            String action = errs.string(c.node(), "whenUnsatisfiable", c.path());
            if (action == null || !UNSATISFIABLE_ACTIONS.contains(action)) {
                errs.notSupported(c.path().child("whenUnsatisfiable"), action == null ? "" : action,
                        UNSATISFIABLE_ACTIONS);
            }
        }
    }
}
