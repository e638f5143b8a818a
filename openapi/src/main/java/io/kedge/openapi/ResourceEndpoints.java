package io.kedge.openapi;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The REST endpoints of one served resource, before they are written in either OpenAPI dialect. kubectl reads
 * these: 1.20 looks for the {@code dryRun} parameter and the patch content types on the PATCH operation carrying the
 * kind's {@code x-kubernetes-group-version-kind}; 1.35 looks for {@code fieldValidation} there, and builds
 * strategic merge patches only when the PATCH request body accepts {@code application/strategic-merge-patch+json}.
 */
final class ResourceEndpoints {
    static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
    static final List<String> PRODUCES = List.of("application/json", "application/yaml");

    record Gvk(String group, String version, String kind) {}

    record Param(String name, String type, String description) {}

    /**
     * @param request  the definition of the request body, or null for none
     * @param response the definition of the 200 response, or null for a free-form string
     */
    record Operation(String method, String action, String operationId, String description, String tag, Gvk gvk,
                     String request, boolean requestRequired, List<String> consumes, String response,
                     boolean alsoCreated, List<Param> query) {}

    record Endpoint(String path, List<Param> pathParams, List<Operation> operations) {}

    private static final Param PRETTY = new Param("pretty", "string", "If 'true', the output is indented.");
    private static final Param NAMESPACE = new Param("namespace", "string", "The namespace of the objects.");
    private static final Param NAME = new Param("name", "string", "The name of the object.");
    private static final List<Param> LIST_QUERY = List.of(
            new Param("labelSelector", "string", "Only objects whose labels match this selector."),
            new Param("fieldSelector", "string", "Only objects whose fields match this selector."),
            new Param("watch", "boolean", "Stream changes instead of returning a list."),
            new Param("allowWatchBookmarks", "boolean", "Allow BOOKMARK events in a watch."),
            new Param("resourceVersion", "string", "The resource version the result must not be older than."),
            new Param("resourceVersionMatch", "string", "How resourceVersion applies: NotOlderThan or Exact."),
            new Param("sendInitialEvents", "boolean", "Start a watch with the current state as ADDED events."),
            new Param("timeoutSeconds", "integer", "End the list or watch after this many seconds."),
            new Param("limit", "integer", "The largest number of objects to return in one page."),
            new Param("continue", "string", "The token of the next page, from a previous page's metadata."));
    private static final Param DRY_RUN = new Param("dryRun", "string", "All: check the request but store nothing.");
    private static final List<Param> WRITE_QUERY = List.of(DRY_RUN,
            new Param("fieldManager", "string", "The name of the actor making this change."),
            new Param("fieldValidation", "string",
                    "How to treat unknown or duplicate fields: Ignore, Warn or Strict."));
    private static final List<Param> PATCH_QUERY = concat(WRITE_QUERY,
            List.of(new Param("force", "boolean", "Server-side apply: take over conflicting fields.")));
    private static final List<Param> DELETE_QUERY = List.of(DRY_RUN,
            new Param("gracePeriodSeconds", "integer", "Seconds to wait before the object is deleted."),
            new Param("propagationPolicy", "string", "Orphan, Background or Foreground deletion of dependents."),
            new Param("orphanDependents", "boolean", "Deprecated: use propagationPolicy."));
    private static final List<String> ANY_BODY = List.of("*/*");

    private ResourceEndpoints() {}

    static List<Endpoint> of(ServedResource r, ResourceSchemas schemas, SchemaCatalog catalog) {
        String prefix = "/" + r.groupVersionPath();
        String collection = prefix + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
        String item = collection + "/{name}";
        List<Param> collectionParams = r.namespaced() ? List.of(NAMESPACE, PRETTY) : List.of(PRETTY);
        List<Param> itemParams = r.namespaced() ? List.of(NAME, NAMESPACE, PRETTY) : List.of(NAME, PRETTY);
        Naming naming = new Naming(r);
        Gvk gvk = new Gvk(r.group(), r.version(), r.kind());
        String kind = schemas.kindDefinition();
        List<String> patchTypes = patchTypes(r);

        List<Endpoint> endpoints = new ArrayList<>();
        List<Operation> onCollection = new ArrayList<>();
        if (r.allows("list")) {
            onCollection.add(naming.op("get", "list", "list", "", "list or watch " + r.kind() + " objects", gvk,
                    null, false, List.of(), schemas.listDefinition(), false, LIST_QUERY));
        }
        if (r.allows("create")) {
            onCollection.add(naming.op("post", "post", "create", "", "create a " + r.kind(), gvk,
                    kind, true, ANY_BODY, kind, true, WRITE_QUERY));
        }
        if (r.allows("deletecollection")) {
            onCollection.add(naming.op("delete", "deletecollection", "deleteCollection", "",
                    "delete a collection of " + r.kind() + " objects", gvk, DefinitionNames.DELETE_OPTIONS, false,
                    ANY_BODY, DefinitionNames.STATUS, false, concat(DELETE_QUERY, LIST_QUERY)));
        }
        add(endpoints, collection, collectionParams, onCollection);
        if (r.namespaced() && r.allows("list")) {
            add(endpoints, prefix + "/" + r.plural(), List.of(PRETTY), List.of(naming.op("get", "list", "list",
                    "ForAllNamespaces", "list or watch " + r.kind() + " objects in all namespaces", gvk, null, false,
                    List.of(), schemas.listDefinition(), false, LIST_QUERY)));
        }

        List<Operation> onItem = new ArrayList<>();
        if (r.allows("get")) {
            onItem.add(naming.op("get", "get", "read", "", "read the specified " + r.kind(), gvk,
                    null, false, List.of(), kind, false, List.of()));
        }
        if (r.allows("update")) {
            onItem.add(naming.op("put", "put", "replace", "", "replace the specified " + r.kind(), gvk,
                    kind, true, ANY_BODY, kind, true, WRITE_QUERY));
        }
        if (r.allows("patch")) {
            onItem.add(naming.op("patch", "patch", "patch", "", "partially update the specified " + r.kind(), gvk,
                    DefinitionNames.PATCH, true, patchTypes, kind, true, PATCH_QUERY));
        }
        if (r.allows("delete")) {
            onItem.add(naming.op("delete", "delete", "delete", "", "delete the specified " + r.kind(), gvk,
                    DefinitionNames.DELETE_OPTIONS, false, ANY_BODY, DefinitionNames.STATUS, false, DELETE_QUERY));
        }
        add(endpoints, item, itemParams, onItem);

        for (String sub : new LinkedHashSet<>(r.subresources())) {
            add(endpoints, item + "/" + sub, itemParams, subresource(r, sub, naming, gvk, kind, patchTypes, catalog));
        }
        return endpoints;
    }

    private static List<Operation> subresource(ServedResource r, String sub, Naming naming, Gvk gvk, String kind,
                                               List<String> patchTypes, SchemaCatalog catalog) {
        String suffix = Naming.camel(sub);
        return switch (sub) {
            case "status", "approval", "ephemeralcontainers", "resize" ->
                    readWrite(r, naming, suffix, sub + " of", gvk, kind, patchTypes);
            case "finalize" -> r.allows("update")
                    ? List.of(naming.op("put", "put", "replace", suffix, "replace finalize of the specified "
                            + r.kind(), gvk, kind, true, ANY_BODY, kind, true, WRITE_QUERY))
                    : List.of();
            case "scale" -> catalog.definitionName("autoscaling", "v1", "Scale")
                    .map(scale -> readWrite(r, naming, suffix, "scale of", new Gvk("autoscaling", "v1", "Scale"),
                            scale, patchTypes))
                    .orElse(List.of());
            case "eviction" -> createOnly(r, naming, suffix, new Gvk("policy", "v1", "Eviction"), catalog);
            case "binding" -> createOnly(r, naming, suffix, new Gvk("", "v1", "Binding"), catalog);
            // streams and proxies (log, exec, attach, portforward, proxy) have no object schema
            default -> List.of(
                    naming.op("get", "connect", "connectGet", suffix, "connect GET requests to " + sub + " of "
                            + r.kind(), null, null, false, List.of(), null, false, List.of()),
                    naming.op("post", "connect", "connectPost", suffix, "connect POST requests to " + sub + " of "
                            + r.kind(), null, null, false, List.of(), null, false, List.of()));
        };
    }

    private static List<Operation> readWrite(ServedResource r, Naming naming, String suffix, String what, Gvk gvk,
                                             String definition, List<String> patchTypes) {
        List<Operation> ops = new ArrayList<>();
        String target = what + " the specified " + r.kind();
        if (r.allows("get")) {
            ops.add(naming.op("get", "get", "read", suffix, "read " + target, gvk, null, false, List.of(),
                    definition, false, List.of()));
        }
        if (r.allows("update")) {
            ops.add(naming.op("put", "put", "replace", suffix, "replace " + target, gvk, definition, true,
                    ANY_BODY, definition, true, WRITE_QUERY));
        }
        if (r.allows("patch")) {
            ops.add(naming.op("patch", "patch", "patch", suffix, "partially update " + target, gvk,
                    DefinitionNames.PATCH, true, patchTypes, definition, true, PATCH_QUERY));
        }
        return ops;
    }

    private static List<Operation> createOnly(ServedResource r, Naming naming, String suffix, Gvk gvk,
                                              SchemaCatalog catalog) {
        return catalog.definitionName(gvk.group(), gvk.version(), gvk.kind())
                .map(definition -> List.of(naming.op("post", "post", "create", suffix, "create " + gvk.kind()
                        + " of a " + r.kind(), gvk, definition, true, ANY_BODY, definition, true, WRITE_QUERY)))
                .orElse(List.of());
    }

    /** Custom kinds get no strategic merge patch, as upstream: kubectl then falls back to a JSON merge patch. */
    private static List<String> patchTypes(ServedResource r) {
        List<String> types = new ArrayList<>(List.of("application/json-patch+json", "application/merge-patch+json"));
        if (!r.isCustom()) {
            types.add(STRATEGIC_MERGE_PATCH);
        }
        types.add("application/apply-patch+yaml");
        return List.copyOf(types);
    }

    /** Definitions the endpoints' bodies and responses name. */
    static Set<String> referencedDefinitions(List<Endpoint> endpoints) {
        Set<String> names = new LinkedHashSet<>();
        for (Endpoint endpoint : endpoints) {
            for (Operation op : endpoint.operations()) {
                if (op.request() != null) {
                    names.add(op.request());
                }
                if (op.response() != null) {
                    names.add(op.response());
                }
            }
        }
        return names;
    }

    private static void add(List<Endpoint> endpoints, String path, List<Param> params, List<Operation> ops) {
        if (!ops.isEmpty()) {
            endpoints.add(new Endpoint(path, params, List.copyOf(ops)));
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** Operation ids and tags shaped like upstream's: patchAppsV1NamespacedDeploymentScale, tag apps_v1. */
    private record Naming(String groupVersion, String tag, String scope, String kind) {
        Naming(ServedResource r) {
            this(camel(groupWord(r.group())) + camel(r.version()),
                    groupWord(r.group()).replace('.', '_').replace('-', '_') + "_" + r.version(),
                    r.namespaced() ? "Namespaced" : "", r.kind());
        }

        Operation op(String method, String action, String verb, String suffix, String description, Gvk gvk,
                     String request, boolean requestRequired, List<String> consumes, String response,
                     boolean alsoCreated, List<Param> query) {
            String scoped = suffix.equals("ForAllNamespaces") ? kind + suffix : scope + kind + suffix;
            String id = verb.equals("deleteCollection")
                    ? "delete" + groupVersion + "Collection" + scoped : verb + groupVersion + scoped;
            return new Operation(method, action, id, description, tag, gvk, request, requestRequired, consumes,
                    response, alsoCreated, query);
        }

        private static String groupWord(String group) {
            if (group.isEmpty()) {
                return "core";
            }
            return group.endsWith(".k8s.io") ? group.substring(0, group.length() - ".k8s.io".length()) : group;
        }

        static String camel(String text) {
            StringBuilder out = new StringBuilder();
            for (String part : text.split("[.\\-_/]")) {
                if (!part.isEmpty()) {
                    out.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
                }
            }
            return out.toString();
        }
    }
}
