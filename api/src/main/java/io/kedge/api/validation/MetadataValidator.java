package io.kedge.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The {@code metadata} rules every kind shares: name, namespace, labels, annotations, owners, finalizers. */
public final class MetadataValidator {
    public static final String IMMUTABLE = "field is immutable";
    private static final FieldPath META = FieldPath.ROOT.child("metadata");

    private final NameRule nameRule;
    private final boolean namespaced;

    public MetadataValidator(NameRule nameRule, boolean namespaced) {
        this.nameRule = Objects.requireNonNull(nameRule, "nameRule");
        this.namespaced = namespaced;
    }

    public void validateCreate(ObjectNode object, ErrorCollector errs) {
        ObjectNode meta = errs.object(object, "metadata", FieldPath.ROOT);
        if (meta == null && !Nodes.isUnset(object, "metadata")) {
            return;
        }
        String generateName = errs.string(meta, "generateName", META);
        if (generateName != null && !generateName.isEmpty()) {
            errs.invalidEach(META.child("generateName"), generateName, nameRule.check(generateName, true));
        }
        String name = errs.string(meta, "name", META);
        if (name == null || name.isEmpty()) {
            JsonNode raw = meta == null ? null : meta.get("name");
            if (raw == null || raw.isNull() || raw.isTextual()) {
                errs.required(META.child("name"), "name or generateName is required");
            }
        } else {
            errs.invalidEach(META.child("name"), name, nameRule.check(name, false));
        }
        validateNamespace(meta, errs);
        validateCommon(meta, errs);
    }

    public void validateUpdate(ObjectNode object, ObjectNode old, ErrorCollector errs) {
        ObjectNode meta = errs.object(object, "metadata", FieldPath.ROOT);
        JsonNode oldMeta = old.path("metadata");
        immutable(meta, oldMeta, "name", true, errs);
        immutable(meta, oldMeta, "namespace", true, errs);
        immutable(meta, oldMeta, "uid", false, errs);
        immutable(meta, oldMeta, "creationTimestamp", false, errs);
        validateCommon(meta, errs);
    }

    /**
     * With {@code mustMatch} the new value must equal the old one even when it is absent; otherwise an absent
     * value is acceptable, because the server carries the stored one over.
     */
    private static void immutable(ObjectNode meta, JsonNode oldMeta, String field, boolean mustMatch,
                                  ErrorCollector errs) {
        String now = errs.string(meta, field, META);
        String before = oldMeta.path(field).isTextual() ? oldMeta.path(field).textValue() : "";
        String current = now == null ? "" : now;
        if (!current.equals(before) && (mustMatch || !current.isEmpty())) {
            errs.invalid(META.child(field), current, IMMUTABLE);
        }
    }

    private void validateNamespace(ObjectNode meta, ErrorCollector errs) {
        String ns = errs.string(meta, "namespace", META);
        FieldPath path = META.child("namespace");
        if (namespaced) {
            if (ns == null || ns.isEmpty()) {
                errs.required(path, "");
            } else {
                errs.invalidEach(path, ns, Formats.dns1123Label(ns));
            }
        } else if (ns != null && !ns.isEmpty()) {
            errs.forbidden(path, "not allowed on this type");
        }
    }

    private static void validateCommon(ObjectNode meta, ErrorCollector errs) {
        LabelRules.validateLabels(errs.stringMap(meta, "labels", META), META.child("labels"), errs);
        LabelRules.validateAnnotations(errs.stringMap(meta, "annotations", META), META.child("annotations"), errs);
        Long generation = errs.int64(meta, "generation", META);
        if (generation != null && generation < 0) {
            errs.invalid(META.child("generation"), generation, "must be greater than or equal to 0");
        }
        for (String finalizer : errs.stringList(meta, "finalizers", META)) {
            errs.invalidEach(META.child("finalizers"), finalizer, Formats.qualifiedName(finalizer));
        }
        validateOwnerReferences(meta, errs);
    }

    private static void validateOwnerReferences(ObjectNode meta, ErrorCollector errs) {
        List<String> controllers = new ArrayList<>();
        for (ErrorCollector.Indexed ref : errs.objects(meta, "ownerReferences", META)) {
            String apiVersion = errs.requiredString(ref.node(), "apiVersion", ref.path(), "version must not be empty");
            if (apiVersion != null && (apiVersion.endsWith("/") || apiVersion.startsWith("/"))) {
                errs.invalid(ref.path().child("apiVersion"), apiVersion, "version must not be empty");
            }
            errs.requiredString(ref.node(), "kind", ref.path(), "kind must not be empty");
            String name = errs.requiredString(ref.node(), "name", ref.path(), "name must not be empty");
            errs.requiredString(ref.node(), "uid", ref.path(), "uid must not be empty");
            if (Boolean.TRUE.equals(errs.bool(ref.node(), "controller", ref.path()))) {
                controllers.add(ref.node().path("kind").asText() + "/" + name);
            }
        }
        if (controllers.size() > 1) {
            errs.invalid(META.child("ownerReferences"), String.join(", ", controllers),
                    "Only one reference can have Controller set to true. Found \"true\" in references for "
                            + String.join(" and ", controllers));
        }
    }
}
