package io.kedge.api.validation;

/** A field's location in Kubernetes' notation: {@code spec.containers[0].image}, {@code data[key]}. */
public final class FieldPath {
    /** The object itself; {@code ROOT.child("spec")} is {@code spec}. */
    public static final FieldPath ROOT = new FieldPath("");

    private final String text;

    private FieldPath(String text) {
        this.text = text;
    }

    public static FieldPath root(String name) {
        return new FieldPath(name);
    }

    public FieldPath child(String name) {
        return new FieldPath(text.isEmpty() ? name : text + "." + name);
    }

    /** Several nested children at once: {@code child("template", "spec")}. */
    public FieldPath child(String first, String... more) {
        FieldPath p = child(first);
        for (String name : more) {
            p = p.child(name);
        }
        return p;
    }

    public FieldPath index(int i) {
        return new FieldPath(text + "[" + i + "]");
    }

    public FieldPath key(String key) {
        return new FieldPath(text + "[" + key + "]");
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldPath p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
