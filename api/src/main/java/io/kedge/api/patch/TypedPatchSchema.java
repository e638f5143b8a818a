package io.kedge.api.patch;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link PatchSchema} read from tables of {@link PatchFact}s and {@link FieldType}s, rooted at one type. */
public final class TypedPatchSchema implements PatchSchema {

    private final String type;
    private final Graph graph;

    private TypedPatchSchema(String type, Graph graph) {
        this.type = type;
        this.graph = graph;
    }

    public static TypedPatchSchema of(String rootType, Collection<PatchFact> facts, Collection<FieldType> fieldTypes) {
        return new Graph(facts, fieldTypes).schemaOf(rootType);
    }

    /** The OpenAPI type this schema describes. */
    public String type() {
        return type;
    }

    @Override
    public FieldStrategy strategyOf(String field) {
        return graph.strategies.getOrDefault(type, Map.of()).getOrDefault(field, FieldStrategy.DEFAULT);
    }

    @Override
    public PatchSchema child(String field) {
        String valueType = graph.valueTypes.getOrDefault(type, Map.of()).get(field);
        return valueType == null ? PatchSchema.none() : graph.schemaOf(valueType);
    }

    @Override
    public String toString() {
        return "TypedPatchSchema[" + type + "]";
    }

    /** The shared tables; one schema object per type, made on first use. */
    static final class Graph {
        private final Map<String, Map<String, FieldStrategy>> strategies = new HashMap<>();
        private final Map<String, Map<String, String>> valueTypes = new HashMap<>();
        private final Map<String, TypedPatchSchema> schemas = new ConcurrentHashMap<>();

        Graph(Collection<PatchFact> facts, Collection<FieldType> fieldTypes) {
            for (PatchFact fact : facts) {
                FieldStrategy previous = strategies.computeIfAbsent(fact.type(), t -> new HashMap<>())
                        .put(fact.field(), fact.fieldStrategy());
                if (previous != null) {
                    throw new IllegalArgumentException("two patch facts for " + fact.type() + "." + fact.field());
                }
            }
            for (FieldType link : fieldTypes) {
                String previous = valueTypes.computeIfAbsent(link.type(), t -> new HashMap<>())
                        .put(link.field(), link.valueType());
                if (previous != null && !previous.equals(link.valueType())) {
                    throw new IllegalArgumentException(link.type() + "." + link.field() + " is declared as both "
                            + previous + " and " + link.valueType());
                }
            }
        }

        TypedPatchSchema schemaOf(String type) {
            return schemas.computeIfAbsent(type, t -> new TypedPatchSchema(t, this));
        }
    }
}
