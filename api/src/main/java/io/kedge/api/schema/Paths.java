package io.kedge.api.schema;

/** Builds field paths the way Kubernetes prints them: {@code spec.items[0].name}, {@code properties[spec]}. */
final class Paths {
    private Paths() {}

    static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    static String key(String parent, String key) {
        return parent + "[" + key + "]";
    }
}
