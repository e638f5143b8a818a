package io.kedge.api.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A path from an object's root to one field, list element or set member. */
public record FieldPath(List<PathElement> elements) implements Comparable<FieldPath> {

    public FieldPath {
        elements = List.copyOf(Objects.requireNonNull(elements, "elements"));
    }

    public static FieldPath of(PathElement... elements) {
        return new FieldPath(List.of(elements));
    }

    /** A path of map fields only, e.g. {@code FieldPath.fields("spec", "replicas")}. */
    public static FieldPath fields(String... names) {
        List<PathElement> out = new ArrayList<>(names.length);
        for (String n : names) {
            out.add(PathElement.field(n));
        }
        return new FieldPath(out);
    }

    public FieldPath append(PathElement element) {
        List<PathElement> out = new ArrayList<>(elements.size() + 1);
        out.addAll(elements);
        out.add(Objects.requireNonNull(element, "element"));
        return new FieldPath(out);
    }

    public boolean isEmpty() {
        return elements.isEmpty();
    }

    public int size() {
        return elements.size();
    }

    public PathElement get(int i) {
        return elements.get(i);
    }

    public boolean startsWith(FieldPath prefix) {
        return prefix.size() <= size() && elements.subList(0, prefix.size()).equals(prefix.elements);
    }

    /** Upstream's rendering, as in conflict messages: {@code .spec.template.spec.containers[name="a"].image}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (PathElement e : elements) {
            out.append(e);
        }
        return out.toString();
    }

    @Override
    public int compareTo(FieldPath o) {
        int n = Math.min(size(), o.size());
        for (int i = 0; i < n; i++) {
            int c = elements.get(i).compareTo(o.elements.get(i));
            if (c != 0) return c;
        }
        return Integer.compare(size(), o.size());
    }
}
