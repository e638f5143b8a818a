package io.kedge.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Patch;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The OpenAPI schemas of the built-in kinds, derived from the fabric8 model classes and named by the upstream
 * definition names ({@code io.k8s.api.apps.v1.Deployment}). Schemas are built on first use and kept.
 * Schemas are in the OpenAPI v3 dialect, referencing each other as {@code #/components/schemas/<name>}.
 */
public final class SchemaCatalog {
    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";
    private static final String RESOURCE_SERVICES =
            "META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource";

    private final ModelSchemas models;
    private final Map<String, Optional<String>> kinds = new HashMap<>();
    private List<String> registeredResourceClasses;

    public SchemaCatalog(PatchStrategies patchStrategies) {
        models = new ModelSchemas(Objects.requireNonNull(patchStrategies, "patchStrategies"));
        // the envelope every document's operations refer to
        for (Class<?> type : List.of(ObjectMeta.class, ListMeta.class, Status.class, DeleteOptions.class,
                Patch.class)) {
            models.define(type);
        }
    }

    /** A catalog with {@link PatchStrategies#defaults()}. */
    public SchemaCatalog() {
        this(PatchStrategies.defaults());
    }

    /** The definition name of a built-in kind, e.g. ("apps", "v1", "Deployment") → io.k8s.api.apps.v1.Deployment. */
    public synchronized Optional<String> definitionName(String group, String version, String kind) {
        if (group == null || version == null || kind == null) {
            throw new IllegalArgumentException("group, version and kind must not be null (got " + group + ", "
                    + version + ", " + kind + ")");
        }
        return kinds.computeIfAbsent(group + "/" + version + "/" + kind,
                key -> findKindClass(group, version, kind).map(models::define));
    }

    /**
     * A copy of a definition by its upstream name, if this catalog has built it: the envelope types (ObjectMeta,
     * ListMeta, Status, DeleteOptions, Patch) always, a kind once {@link #definitionName} has been asked for it,
     * and everything such a kind references.
     */
    public synchronized Optional<ObjectNode> definition(String name) {
        return models.definition(name).map(ObjectNode::deepCopy);
    }

    /**
     * The given schemas, the named catalog definitions, and every catalog definition either references, directly or
     * not, sorted by name.
     *
     * @param own    schemas built outside the catalog (custom kinds), by definition name
     * @param needed definition names the document refers to, from {@code own} or from this catalog
     * @throws IllegalStateException if something references a definition neither has
     */
    synchronized Map<String, ObjectNode> closure(Map<String, ? extends JsonNode> own, Collection<String> needed) {
        Map<String, ObjectNode> out = new TreeMap<>();
        Deque<JsonNode> pending = new ArrayDeque<>();
        own.forEach((name, schema) -> {
            if (!schema.isObject()) {
                throw new IllegalArgumentException("schema " + name + " must be a JSON object");
            }
            out.put(name, ((ObjectNode) schema).deepCopy());
            pending.add(schema);
        });
        Consumer<String> include = name -> {
            if (!out.containsKey(name)) {
                ObjectNode definition = models.definition(name).orElseThrow(() ->
                        new IllegalStateException("schema reference to unknown definition " + name));
                out.put(name, definition.deepCopy());
                pending.add(definition);
            }
        };
        needed.forEach(include);
        while (!pending.isEmpty()) {
            Schemas.forEachRef(pending.poll(), ref -> {
                if (!ref.startsWith(Schemas.V3_REF_PREFIX)) {
                    throw new IllegalStateException("unsupported schema reference " + ref);
                }
                include.accept(ref.substring(Schemas.V3_REF_PREFIX.length()));
            });
        }
        return out;
    }

    private Optional<Class<?>> findKindClass(String group, String version, String kind) {
        List<String> candidates = new ArrayList<>();
        if (group.isEmpty()) {
            candidates.add(MODEL_PACKAGE + "." + kind);
        } else {
            // fabric8 packages follow the group's first label, with the version when the group has several
            String label = group.split("\\.")[0];
            candidates.add(MODEL_PACKAGE + "." + label + "." + version + "." + kind);
            candidates.add(MODEL_PACKAGE + "." + label + "." + kind);
        }
        for (String candidate : candidates) {
            Optional<Class<?>> found = load(candidate).filter(c -> servesKind(c, group, version, kind));
            if (found.isPresent()) {
                return found;
            }
        }
        return registeredResourceClasses().stream()
                .filter(name -> name.endsWith("." + kind))
                .map(this::load).flatMap(Optional::stream)
                .filter(c -> servesKind(c, group, version, kind))
                .findFirst();
    }

    private static boolean servesKind(Class<?> type, String group, String version, String kind) {
        Version v = type.getAnnotation(Version.class);
        Group g = type.getAnnotation(Group.class);
        Kind k = type.getAnnotation(Kind.class);
        String kindName = k == null ? type.getSimpleName() : k.value();
        return v != null && v.value().equals(version) && (g == null ? "" : g.value()).equals(group)
                && kindName.equals(kind);
    }

    private Optional<Class<?>> load(String className) {
        try {
            return Optional.of(Class.forName(className, false, SchemaCatalog.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** The fabric8 jars list their resource classes as service entries; read once, only when a guess misses. */
    private List<String> registeredResourceClasses() {
        if (registeredResourceClasses == null) {
            List<String> names = new ArrayList<>();
            try {
                Enumeration<URL> files = SchemaCatalog.class.getClassLoader().getResources(RESOURCE_SERVICES);
                while (files.hasMoreElements()) {
                    try (BufferedReader reader = new BufferedReader(
                            new InputStreamReader(files.nextElement().openStream(), StandardCharsets.UTF_8))) {
                        reader.lines().map(String::trim)
                                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                                .forEach(names::add);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the fabric8 resource class lists", e);
            }
            registeredResourceClasses = List.copyOf(names);
        }
        return registeredResourceClasses;
    }
}
