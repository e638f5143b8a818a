package io.kedge.api.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable set of field paths, stored as a trie the way fieldsV1 encodes it. Set operations work path by
 * path: removing {@code .spec} leaves {@code .spec.replicas} in place.
 */
public final class FieldSet {

    private static final FieldSet EMPTY = new FieldSet(Node.EMPTY);

    private final Node root;

    private FieldSet(Node root) {
        this.root = root;
    }

    public static FieldSet empty() {
        return EMPTY;
    }

    public static FieldSet of(FieldPath... paths) {
        return of(List.of(paths));
    }

    public static FieldSet of(Collection<FieldPath> paths) {
        Builder b = new Builder();
        paths.forEach(b::insert);
        return b.build();
    }

    /**
     * The leaf fields, list-map elements and set members present in {@code object}; lists follow {@code lists}.
     * Maps count as containers, not members, except when empty or null.
     */
    public static FieldSet fromObject(JsonNode object, ListTypes lists) {
        return ObjectFields.of(object, lists);
    }

    /** Reads the fieldsV1 trie of a managedFields entry; unknown element prefixes are skipped, as upstream does. */
    public static FieldSet fromFieldsV1(JsonNode fieldsV1) {
        if (fieldsV1 == null || fieldsV1.isNull() || fieldsV1.isMissingNode()) {
            return EMPTY;
        }
        Node n = read(fieldsV1, "");
        return n.children.isEmpty() ? EMPTY : new FieldSet(new Node(false, n.children));
    }

    private static Node read(JsonNode json, String where) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("fieldsV1" + (where.isEmpty() ? "" : " member \"" + where + "\"")
                    + " must be a JSON object, got " + json.getNodeType().toString().toLowerCase());
        }
        boolean self = false;
        TreeMap<PathElement, Node> children = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : json.properties()) {
            if (e.getKey().equals(".")) {
                self = true;
                continue;
            }
            PathElement pe = PathElement.decode(e.getKey());
            if (pe == null) {
                continue;
            }
            Node child = read(e.getValue(), e.getKey());
            children.merge(pe, child, Node::union);
        }
        return new Node(self || children.isEmpty(), children);
    }

    public ObjectNode toFieldsV1() {
        return write(root);
    }

    private static ObjectNode write(Node n) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<PathElement, Node> e : n.children.entrySet()) {
            Node child = e.getValue();
            ObjectNode inner = write(child);
            if (child.member && !child.children.isEmpty()) {
                ObjectNode withSelf = JsonNodeFactory.instance.objectNode();
                withSelf.putObject(".");
                withSelf.setAll(inner);
                inner = withSelf;
            }
            out.set(e.getKey().encoded(), inner);
        }
        return out;
    }

    public boolean isEmpty() {
        return root.children.isEmpty();
    }

    public boolean contains(FieldPath path) {
        Node n = find(path);
        return n != null && n.member && !path.isEmpty();
    }

    /** True when {@code path} itself or any path below it is in the set. */
    public boolean hasPathsAtOrUnder(FieldPath path) {
        Node n = find(path);
        return n != null && (path.isEmpty() ? !isEmpty() : !n.isEmpty());
    }

    private Node find(FieldPath path) {
        Node n = root;
        for (PathElement pe : path.elements()) {
            n = n.children.get(pe);
            if (n == null) return null;
        }
        return n;
    }

    /** Every path in the set, in fieldsV1 order (a path before the paths below it). */
    public List<FieldPath> paths() {
        List<FieldPath> out = new ArrayList<>();
        collect(root, new ArrayList<>(), out);
        return out;
    }

    private static void collect(Node n, List<PathElement> prefix, List<FieldPath> out) {
        for (Map.Entry<PathElement, Node> e : n.children.entrySet()) {
            prefix.add(e.getKey());
            if (e.getValue().member) {
                out.add(new FieldPath(prefix));
            }
            collect(e.getValue(), prefix, out);
            prefix.remove(prefix.size() - 1);
        }
    }

    public int size() {
        return root.count();
    }

    public FieldSet union(FieldSet other) {
        return wrap(Node.union(root, other.root));
    }

    public FieldSet intersection(FieldSet other) {
        return wrap(Node.intersection(root, other.root));
    }

    public FieldSet difference(FieldSet other) {
        return wrap(Node.difference(root, other.root));
    }

    /** This set without {@code prefix} and everything below it. */
    public FieldSet withoutSubtree(FieldPath prefix) {
        if (prefix.isEmpty()) return EMPTY;
        return wrap(Node.withoutSubtree(root, prefix.elements(), 0));
    }

    /** The paths at or below {@code prefix}, still rooted at the object root. */
    public FieldSet onlySubtree(FieldPath prefix) {
        if (prefix.isEmpty()) return this;
        Node n = find(prefix);
        if (n == null) return EMPTY;
        Node rebuilt = n;
        for (int i = prefix.size() - 1; i >= 0; i--) {
            TreeMap<PathElement, Node> one = new TreeMap<>();
            one.put(prefix.get(i), rebuilt);
            rebuilt = new Node(false, one);
        }
        return wrap(rebuilt);
    }

    /** The root of the trie, for walkers that descend an object and its field set side by side. */
    Node node() {
        return root;
    }

    private static FieldSet wrap(Node n) {
        return n == null || n.children.isEmpty() ? EMPTY : new FieldSet(n.member ? new Node(false, n.children) : n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet f && f.root.equals(root);
    }

    @Override
    public int hashCode() {
        return root.hashCode();
    }

    @Override
    public String toString() {
        return paths().toString();
    }

    /** Accumulates paths into a new set. */
    public static final class Builder {
        private final MutableNode root = new MutableNode();

        public Builder insert(FieldPath path) {
            Objects.requireNonNull(path, "path");
            if (path.isEmpty()) {
                throw new IllegalArgumentException("the object root is not a field and cannot be in a field set");
            }
            MutableNode n = root;
            for (PathElement pe : path.elements()) {
                n = n.children.computeIfAbsent(pe, k -> new MutableNode());
            }
            n.member = true;
            return this;
        }

        public FieldSet build() {
            return wrap(root.freeze());
        }
    }

    private static final class MutableNode {
        boolean member;
        final TreeMap<PathElement, MutableNode> children = new TreeMap<>();

        Node freeze() {
            TreeMap<PathElement, Node> frozen = new TreeMap<>();
            children.forEach((pe, n) -> frozen.put(pe, n.freeze()));
            return new Node(member, frozen);
        }
    }

    /** One trie node: whether the path ending here is in the set, and the longer paths through it. */
    static final class Node {
        static final Node EMPTY = new Node(false, new TreeMap<>());

        final boolean member;
        final SortedMap<PathElement, Node> children;

        Node(boolean member, SortedMap<PathElement, Node> children) {
            this.member = member;
            this.children = Collections.unmodifiableSortedMap(children);
        }

        Node child(PathElement pe) {
            return children.get(pe);
        }

        boolean isEmpty() {
            return !member && children.isEmpty();
        }

        int count() {
            int n = member ? 1 : 0;
            for (Node c : children.values()) n += c.count();
            return n;
        }

        static Node union(Node a, Node b) {
            TreeMap<PathElement, Node> out = new TreeMap<>(a.children);
            b.children.forEach((pe, n) -> out.merge(pe, n, Node::union));
            return new Node(a.member || b.member, out);
        }

        static Node intersection(Node a, Node b) {
            TreeMap<PathElement, Node> out = new TreeMap<>();
            a.children.forEach((pe, n) -> {
                Node other = b.children.get(pe);
                if (other != null) {
                    Node i = intersection(n, other);
                    if (!i.isEmpty()) out.put(pe, i);
                }
            });
            return new Node(a.member && b.member, out);
        }

        static Node difference(Node a, Node b) {
            TreeMap<PathElement, Node> out = new TreeMap<>();
            a.children.forEach((pe, n) -> {
                Node other = b.children.get(pe);
                Node d = other == null ? n : difference(n, other);
                if (!d.isEmpty()) out.put(pe, d);
            });
            return new Node(a.member && !b.member, out);
        }

        static Node withoutSubtree(Node n, List<PathElement> prefix, int depth) {
            PathElement pe = prefix.get(depth);
            Node child = n.children.get(pe);
            if (child == null) return n;
            TreeMap<PathElement, Node> out = new TreeMap<>(n.children);
            if (depth == prefix.size() - 1) {
                out.remove(pe);
            } else {
                Node pruned = withoutSubtree(child, prefix, depth + 1);
                if (pruned.isEmpty()) out.remove(pe); else out.put(pe, pruned);
            }
            return new Node(n.member, out);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Node n && n.member == member && n.children.equals(children);
        }

        @Override
        public int hashCode() {
            return Boolean.hashCode(member) * 31 + children.hashCode();
        }
    }
}
