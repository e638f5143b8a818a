package io.kedge.api.apply;

import java.util.Map;
import java.util.Objects;

/** {@link ListTypes} from a table of dotted paths; each instance remembers where below the root it stands. */
final class PathListTypes implements ListTypes {
    private final Map<String, ListType> listsByPath;
    private final String prefix;

    private PathListTypes(Map<String, ListType> listsByPath, String prefix) {
        this.listsByPath = listsByPath;
        this.prefix = prefix;
    }

    static PathListTypes root(Map<String, ListType> listsByPath) {
        Objects.requireNonNull(listsByPath, "listsByPath");
        listsByPath.forEach((path, type) -> {
            if (path == null || path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
                throw new IllegalArgumentException("a list path must be dotted field names like "
                        + "\"spec.template.spec.containers\", got \"" + path + "\"");
            }
            Objects.requireNonNull(type, () -> "list type of " + path);
        });
        return new PathListTypes(Map.copyOf(listsByPath), "");
    }

    @Override
    public ListType listTypeOf(String field) {
        return listsByPath.getOrDefault(prefix + field, ListType.ATOMIC);
    }

    @Override
    public ListTypes child(String field) {
        return new PathListTypes(listsByPath, prefix + field + ".");
    }

    @Override
    public String toString() {
        return "ListTypes.byPath(" + prefix + ")";
    }
}
