package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.LabelRules;
import io.kedge.api.validation.MetadataValidator;
import io.kedge.api.validation.Nodes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * edge.kedge.io/v1alpha1 UnitDeployment: one Deployment per targeted edge unit.
 * <pre>
 * spec:
 *   units: [unit-a, unit-b]                    # required, unique unit names
 *   template:                                  # required: a Deployment template
 *     metadata: {labels, annotations}
 *     spec: DeploymentSpec                     # selector must match spec.template.metadata.labels
 *   overrides:                                 # optional, at most one per unit
 *   - unit: unit-a
 *     replicas: 3
 *     images: [{container: app, image: registry.local/app:v2}]
 *     patches: [{op: replace, path: /spec/template/spec/nodeSelector, value: {...}}]
 * </pre>
 */
final class UnitDeploymentRules implements KindRules {
    static final List<String> PATCH_OPS = List.of("add", "remove", "replace");
    private static final FieldPath SPEC = FieldPath.ROOT.child("spec");

    @Override
    public void validate(ObjectNode ud, ErrorCollector errs) {
        ObjectNode spec = errs.object(ud, "spec", FieldPath.ROOT);
        Set<String> units = validateUnits(spec, errs);
        FieldPath tp = SPEC.child("template");
        ObjectNode template = errs.object(spec, "template", SPEC);
        if (template == null) {
            errs.required(tp, "");
        } else {
            ObjectNode meta = errs.object(template, "metadata", tp);
            LabelRules.validateLabels(errs.stringMap(meta, "labels", tp.child("metadata")),
                    tp.child("metadata", "labels"), errs);
            LabelRules.validateAnnotations(errs.stringMap(meta, "annotations", tp.child("metadata")),
                    tp.child("metadata", "annotations"), errs);
            DeploymentRules.validateSpec(errs.object(template, "spec", tp), tp.child("spec"), errs);
        }
        validateOverrides(spec, units, containerNames(template), errs);
    }

    private static Set<String> validateUnits(ObjectNode spec, ErrorCollector errs) {
        Set<String> units = new HashSet<>();
        List<String> listed = errs.stringList(spec, "units", SPEC);
        if (listed.isEmpty()) {
            errs.required(SPEC.child("units"), "must name at least one edge unit");
        }
        for (int i = 0; i < listed.size(); i++) {
            String unit = listed.get(i);
            FieldPath p = SPEC.child("units").index(i);
            errs.invalidEach(p, unit, Formats.dns1123Label(unit));
            if (!units.add(unit)) {
                errs.duplicate(p, unit);
            }
        }
        return units;
    }

    private static Set<String> containerNames(ObjectNode template) {
        Set<String> names = new HashSet<>();
        JsonNode podSpec = template == null ? null : template.path("spec").path("template").path("spec");
        for (String list : List.of("containers", "initContainers")) {
            Nodes.objects(podSpec, list).forEach(c -> names.add(Nodes.textOrEmpty(c, "name")));
        }
        return names;
    }

    private static void validateOverrides(ObjectNode spec, Set<String> units, Set<String> containers,
                                          ErrorCollector errs) {
        Set<String> seen = new HashSet<>();
        for (ErrorCollector.Indexed o : errs.objects(spec, "overrides", SPEC)) {
            FieldPath p = o.path();
            String unit = errs.requiredString(o.node(), "unit", p, "");
            if (unit != null) {
                if (!units.contains(unit)) {
                    errs.notFound(p.child("unit"), unit);
                } else if (!seen.add(unit)) {
                    errs.duplicate(p.child("unit"), unit);
                }
            }
            WorkloadChecks.nonNegative(o.node(), p, errs, "replicas");
            for (ErrorCollector.Indexed image : errs.objects(o.node(), "images", p)) {
                String container = errs.requiredString(image.node(), "container", image.path(), "");
                if (container != null && !containers.contains(container)) {
                    errs.notFound(image.path().child("container"), container);
                }
                errs.requiredString(image.node(), "image", image.path(), "");
            }
            for (ErrorCollector.Indexed patch : errs.objects(o.node(), "patches", p)) {
                validatePatch(patch, errs);
            }
        }
    }

    private static void validatePatch(ErrorCollector.Indexed patch, ErrorCollector errs) {
        FieldPath p = patch.path();
        String op = errs.requiredString(patch.node(), "op", p, "");
        if (op != null && !PATCH_OPS.contains(op)) {
            errs.notSupported(p.child("op"), op, PATCH_OPS);
        }
        String path = errs.requiredString(patch.node(), "path", p, "");
        if (path != null && !path.startsWith("/")) {
            errs.invalid(p.child("path"), path, "must be a JSON pointer starting with '/'");
        }
        if (("add".equals(op) || "replace".equals(op)) && !patch.node().has("value")) {
            errs.required(p.child("value"), "must be given for '" + op + "'");
        }
    }

    @Override
    public void validateUpdate(ObjectNode ud, ObjectNode old, ErrorCollector errs) {
        JsonNode now = ud.path("spec").path("template").path("spec").get("selector");
        JsonNode before = old.path("spec").path("template").path("spec").get("selector");
        if (!Nodes.sameContent(now, before)) {
            errs.invalid(SPEC.child("template", "spec", "selector"), now, MetadataValidator.IMMUTABLE);
        }
    }

    static void defaults(ObjectNode ud) {
        ObjectNode template = Nodes.object(Nodes.object(ud, "spec"), "template");
        WorkloadDefaults.deploymentSpec(Nodes.object(template, "spec"));
    }
}
