package io.kedge.api.validation.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kedge.api.validation.ErrorCollector;
import io.kedge.api.validation.FieldPath;
import io.kedge.api.validation.Formats;
import io.kedge.api.validation.KindRules;
import io.kedge.api.validation.MetadataValidator;
import io.kedge.api.validation.Nodes;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** apiextensions.k8s.io/v1 CustomResourceDefinition: names, scope, versions with schemas. */
final class CustomResourceDefinitionRules implements KindRules {
    static final List<String> SCOPES = List.of("Cluster", "Namespaced");
    private static final FieldPath SPEC = FieldPath.ROOT.child("spec");
    private static final FieldPath NAMES = SPEC.child("names");

    @Override
    public void validate(ObjectNode crd, ErrorCollector errs) {
        ObjectNode spec = errs.object(crd, "spec", FieldPath.ROOT);
        String group = errs.requiredString(spec, "group", SPEC, "");
        if (group != null) {
            errs.invalidEach(SPEC.child("group"), group, Formats.dns1123Subdomain(group));
            if (!group.contains(".")) {
                errs.invalid(SPEC.child("group"), group, "should be a domain with at least one dot");
            }
        }
        ObjectNode names = errs.object(spec, "names", SPEC);
        String plural = validateNames(names, errs);
        String name = Nodes.text(crd.path("metadata"), "name");
        if (name != null && plural != null && group != null && !name.equals(plural + "." + group)) {
            errs.invalid(FieldPath.ROOT.child("metadata", "name"), name, "must be spec.names.plural+\".\"+spec.group");
        }
        String scope = errs.requiredString(spec, "scope", SPEC, "");
        if (scope != null && !SCOPES.contains(scope)) {
            errs.notSupported(SPEC.child("scope"), scope, SCOPES);
        }
        validateVersions(spec, errs);
    }

    /** Returns the plural name when present. */
    private static String validateNames(ObjectNode names, ErrorCollector errs) {
        String plural = errs.requiredString(names, "plural", NAMES, "");
        for (String field : List.of("plural", "singular")) {
            String v = Nodes.text(names, field);
            if (v != null && !v.isEmpty()) {
                errs.invalidEach(NAMES.child(field), v, Formats.dns1035Label(v));
            }
        }
        String kind = errs.requiredString(names, "kind", NAMES, "");
        String listKind = errs.requiredString(names, "listKind", NAMES, "");
        for (String[] pair : new String[][] {{"kind", kind}, {"listKind", listKind}}) {
            if (pair[1] != null && !Formats.dns1035Label(pair[1].toLowerCase(Locale.ROOT)).isEmpty()) {
                errs.invalid(NAMES.child(pair[0]), pair[1],
                        "may have mixed case, but should otherwise match: " + String.join(",",
                                Formats.dns1035Label(pair[1].toLowerCase(Locale.ROOT))));
            }
        }
        if (kind != null && kind.equals(listKind)) {
            errs.invalid(NAMES.child("listKind"), listKind, "kind and listKind may not be the same or parsing become ambiguous");
        }
        List<String> shortNames = errs.stringList(names, "shortNames", NAMES);
        for (int i = 0; i < shortNames.size(); i++) {
            errs.invalidEach(NAMES.child("shortNames").index(i), shortNames.get(i),
                    Formats.dns1035Label(shortNames.get(i)));
        }
        return plural;
    }

    private static void validateVersions(ObjectNode spec, ErrorCollector errs) {
        FieldPath vp = SPEC.child("versions");
        List<ErrorCollector.Indexed> versions = errs.objects(spec, "versions", SPEC);
        if (versions.isEmpty()) {
            errs.invalid(vp, "[]", "must have exactly one version marked as storage version");
            return;
        }
        Set<String> names = new HashSet<>();
        int storage = 0;
        for (ErrorCollector.Indexed v : versions) {
            String name = errs.requiredString(v.node(), "name", v.path(), "");
            if (name != null) {
                errs.invalidEach(v.path().child("name"), name, Formats.dns1035Label(name));
                if (!names.add(name)) {
                    errs.duplicate(v.path().child("name"), name);
                }
            }
            if (Boolean.TRUE.equals(errs.bool(v.node(), "storage", v.path()))) {
                storage++;
            }
            errs.bool(v.node(), "served", v.path());
            validateSchema(v, errs);
        }
        if (storage != 1) {
            errs.invalid(vp, storage, "must have exactly one version marked as storage version");
        }
    }

    private static void validateSchema(ErrorCollector.Indexed version, ErrorCollector errs) {
        FieldPath sp = version.path().child("schema", "openAPIV3Schema");
        ObjectNode schema = errs.object(errs.object(version.node(), "schema", version.path()), "openAPIV3Schema",
                version.path().child("schema"));
        if (schema == null) {
            errs.required(sp, "schemas are required");
            return;
        }
        String type = errs.string(schema, "type", sp);
        if (type == null || type.isEmpty()) {
            errs.required(sp.child("type"), "must not be empty at the root");
        } else if (!type.equals("object")) {
            errs.invalid(sp.child("type"), type, "must be object at the root");
        }
    }

    @Override
    public void validateUpdate(ObjectNode crd, ObjectNode old, ErrorCollector errs) {
        WorkloadChecks.immutable(crd, old, "group", errs);
        if (!isEstablished(old)) {
            return;
        }
        WorkloadChecks.immutable(crd, old, "scope", errs);
        for (String field : List.of("plural", "kind")) {
            JsonNode now = crd.path("spec").path("names").get(field);
            if (!Nodes.sameContent(now, old.path("spec").path("names").get(field))) {
                errs.invalid(NAMES.child(field), now, MetadataValidator.IMMUTABLE);
            }
        }
    }

    private static boolean isEstablished(ObjectNode crd) {
        for (JsonNode c : crd.path("status").path("conditions")) {
            if ("Established".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Singular and list kind follow from the kind; conversion is None unless a webhook is named. */
    static void defaults(ObjectNode crd) {
        ObjectNode spec = Nodes.object(crd, "spec");
        ObjectNode names = Nodes.object(spec, "names");
        String kind = Nodes.text(names, "kind");
        if (kind != null && !kind.isEmpty()) {
            Nodes.defaultText(names, "singular", kind.toLowerCase(Locale.ROOT));
            Nodes.defaultText(names, "listKind", kind + "List");
        }
        if (spec != null) {
            Nodes.defaultText(Nodes.ensureObject(spec, "conversion"), "strategy", "None");
        }
    }
}
